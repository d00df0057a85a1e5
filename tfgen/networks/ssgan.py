"""The semi-supervised GAN's MNIST networks (Salimans et al. 2016, Sec. 5).

The released code of "Improved Techniques for Training GANs" uses, for
permutation-invariant MNIST with 100 labels, a discriminator MLP with
hidden layers (1000, 500, 250, 250, 250), Gaussian noise on its input
(σ = 0.3) and on every hidden layer (σ = 0.5), and K = 10 class logits;
the generator is an MLP 100 → 500 → 500 (softplus, batch norm) → 784.
Their weight normalisation is left out here; ``hidden`` and the noise
levels are fields, so a CPU budget can shrink them.

The discriminator returns [class logits [B, K], features [B, F]]: the
features are its last hidden layer, the f(x) that feature matching reads.
It has the ``classifying_critic`` calling convention fn(shape,
num_classes), so K comes from the data.
"""

from __future__ import annotations

import math

import keras
from keras import layers


def ssgan_discriminator(image_shape, num_classes: int = 10,
                        hidden=(1000, 500, 250, 250, 250), input_noise: float = 0.3,
                        hidden_noise: float = 0.5,
                        name: str = "discriminator") -> keras.Model:
    """Images → [K class logits, last hidden features] (an MLP with noise).

    Args:
      image_shape: one example's shape (flattened on input).
      num_classes: K.
      hidden: hidden layer widths (ReLU).
      input_noise: std of the Gaussian noise added to the input in training.
      hidden_noise: std of the noise added to each hidden layer's input.
      name: model name.
    """
    if num_classes < 2:
        raise ValueError(f"the semi-supervised discriminator needs >= 2 classes, "
                         f"got {num_classes}")
    x_in = keras.Input(tuple(image_shape), name="images")
    x = layers.Flatten()(x_in)
    if input_noise > 0:
        x = layers.GaussianNoise(input_noise)(x)
    for i, units in enumerate(hidden):
        if i > 0 and hidden_noise > 0:
            x = layers.GaussianNoise(hidden_noise)(x)
        x = layers.Dense(units, activation="relu")(x)
    features = layers.Activation("linear", dtype="float32", name="features")(x)
    x = layers.GaussianNoise(hidden_noise)(x) if hidden_noise > 0 else x
    logits = layers.Dense(num_classes, dtype="float32", name="logits")(x)
    return keras.Model(x_in, [logits, features], name=name)


def ssgan_generator(latent_dim: int, image_shape, hidden=(500, 500),
                    name: str = "generator") -> keras.Model:
    """z → images in [-1, 1]: Dense + BN + softplus layers, then tanh."""
    z = keras.Input((latent_dim,), name="latents")
    x = z
    for units in hidden:
        x = layers.Dense(units, use_bias=False)(x)
        x = layers.Activation("softplus")(layers.BatchNormalization(synchronized=True)(x))
    x = layers.Dense(math.prod(image_shape))(x)
    x = layers.Reshape(tuple(image_shape))(x)
    out = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(z, out, name=name)
