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


def _trunk(h, hidden, slope, dropout=0.0):
    for units in hidden:
        h = layers.Dense(units)(h)
        h = layers.LeakyReLU(negative_slope=slope)(h)
        if dropout:
            h = layers.Dropout(dropout)(h)
    return h


def bigan_encoder(image_shape, latent_dim: int, hidden=(1024, 1024), slope: float = 0.2,
                  name: str = "encoder") -> keras.Model:
    """Deterministic encoder x → z (linear output)."""
    x = keras.Input(tuple(image_shape))
    h = _trunk(layers.Flatten()(x), hidden, slope)
    return keras.Model(x, layers.Dense(latent_dim, dtype="float32")(h), name=name)


def bigan_gaussian_encoder(image_shape, latent_dim: int, hidden=(1024, 1024),
                           slope: float = 0.2, name: str = "encoder") -> keras.Model:
    """Stochastic encoder x → [μ, log σ] (2·latent_dim outputs; ALI)."""
    x = keras.Input(tuple(image_shape))
    h = _trunk(layers.Flatten()(x), hidden, slope)
    return keras.Model(x, layers.Dense(2 * latent_dim, dtype="float32")(h), name=name)


def bigan_generator(latent_dim: int, image_shape, hidden=(1024, 1024), slope: float = 0.2,
                    name: str = "generator") -> keras.Model:
    """Generator z → x, tanh output reshaped to ``image_shape``."""
    z = keras.Input((latent_dim,))
    h = _trunk(z, hidden, slope)
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
