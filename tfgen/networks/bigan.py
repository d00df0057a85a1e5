"""Fully connected networks of BiGAN / ALI for permutation-invariant images.

Donahue et al. 2017 (BiGAN, Sec. 4.2 and appendix): on permutation-invariant
MNIST, E, G and D are MLPs of 1024 hidden units with leaky ReLUs; D reads
the pair (x, z). The widths here are config fields (small for tests).

* :func:`bigan_encoder`: x → z (deterministic, BiGAN);
* :func:`bigan_gaussian_encoder`: x → [μ, log σ] (2·latent_dim outputs), the
  stochastic encoder of ALI (Dumoulin et al. 2017), reparameterised by the
  model as z = μ + σ ε;
* :func:`bigan_generator`: z → x in [-1, 1] (tanh);
* :func:`bigan_joint_discriminator`: (x, z) → one logit; a ``joint_critic``.
"""

from __future__ import annotations

import math

import keras
from keras import layers


def _trunk(h, hidden, slope, dropout=0.0, batch_norm=False):
    for units in hidden:
        h = layers.Dense(units, use_bias=not batch_norm)(h)
        if batch_norm:
            h = layers.BatchNormalization(synchronized=True)(h)
        h = layers.LeakyReLU(negative_slope=slope)(h)
        if dropout:
            h = layers.Dropout(dropout)(h)
    return h


def bigan_encoder(image_shape, latent_dim: int, hidden=(1024, 1024), slope: float = 0.2,
                  batch_norm: bool = False,
                  name: str = "encoder") -> keras.Model:
    """Deterministic encoder x → z (linear output)."""
    x = keras.Input(tuple(image_shape))
    h = _trunk(layers.Flatten()(x), hidden, slope, batch_norm=batch_norm)
    return keras.Model(x, layers.Dense(latent_dim, dtype="float32")(h), name=name)


def bigan_gaussian_encoder(image_shape, latent_dim: int, hidden=(1024, 1024),
                           slope: float = 0.2, batch_norm: bool = False,
                           name: str = "encoder") -> keras.Model:
    """Stochastic encoder x → [μ, log σ] (2·latent_dim outputs; ALI)."""
    x = keras.Input(tuple(image_shape))
    h = _trunk(layers.Flatten()(x), hidden, slope, batch_norm=batch_norm)
    return keras.Model(x, layers.Dense(2 * latent_dim, dtype="float32")(h), name=name)


def bigan_generator(latent_dim: int, image_shape, hidden=(1024, 1024), slope: float = 0.2,
                    batch_norm: bool = False, name: str = "generator") -> keras.Model:
    """Generator z → x, tanh output reshaped to ``image_shape``."""
    z = keras.Input((latent_dim,))
    h = _trunk(z, hidden, slope, batch_norm=batch_norm)
    out = layers.Dense(math.prod(image_shape), activation="tanh", dtype="float32")(h)
    return keras.Model(z, layers.Reshape(tuple(image_shape))(out), name=name)


def bigan_joint_discriminator(image_shape, latent_dim: int, hidden=(1024, 1024),
                              slope: float = 0.2, dropout: float = 0.0,
                              name: str = "discriminator") -> keras.Model:
    """D(x, z): one logit from the concatenated pair; inputs [x, z]."""
    x, z = keras.Input(tuple(image_shape)), keras.Input((latent_dim,))
    h = layers.Concatenate()([layers.Flatten()(x), z])
    h = _trunk(h, hidden, slope, dropout)
    return keras.Model([x, z], layers.Dense(1, dtype="float32")(h), name=name)


def ali_joint_discriminator(image_shape, latent_dim: int, hidden=(1024, 1024),
                            z_hidden=(512, 512), joint_hidden=(1024, 1024),
                            slope: float = 0.2, dropout: float = 0.2,
                            name: str = "discriminator") -> keras.Model:
    """ALI's D(x, z) (Dumoulin et al. 2017, appendix A): an x tower and a z
    tower, each its own stack, whose features a joint tower reads; dropout
    (0.2 in the paper) after every hidden layer. Fully connected here (the
    paper's towers are convolutional for images; 1×1 convolutions on z and
    on the joint features are dense layers). Inputs [x, z]."""
    x, z = keras.Input(tuple(image_shape)), keras.Input((latent_dim,))
    hx = _trunk(layers.Flatten()(x), hidden, slope, dropout)
    hz = _trunk(z, z_hidden, slope, dropout)
    h = _trunk(layers.Concatenate()([hx, hz]), joint_hidden, slope, dropout)
    return keras.Model([x, z], layers.Dense(1, dtype="float32")(h), name=name)
