"""Multi-layer perceptrons for low-dimensional data (the 2-D mixtures)."""

from __future__ import annotations

import keras
from keras import layers


def mlp(in_dim: int, out_dim: int, hidden=(128, 128), activation="relu",
        out_activation=None, name: str = "mlp") -> keras.Model:
    """Plain MLP in_dim → hidden... → out_dim.

    Args:
      in_dim: input size.
      out_dim: output size.
      hidden: sizes of the hidden layers.
      activation: hidden activation.
      out_activation: output activation (None for linear).
      name: model name.

    Returns:
      A functional keras.Model.
    """
    x_in = keras.Input((in_dim,))
    x = x_in
    for units in hidden:
        x = layers.Dense(units, activation=activation)(x)
    out = layers.Dense(out_dim, activation=out_activation, dtype="float32")(x)
    return keras.Model(x_in, out, name=name)


def mlp_generator(latent_dim: int, image_shape, hidden=(128, 128),
                  activation="relu", name: str = "generator") -> keras.Model:
    """Generator z → points of shape ``image_shape`` (e.g. (2,)), linear output."""
    return mlp(latent_dim, int(image_shape[0]), hidden, activation, name=name)


def mlp_discriminator(image_shape, hidden=(128, 128), activation="relu",
                      name: str = "discriminator") -> keras.Model:
    """Critic points → one raw score."""
    return mlp(int(image_shape[0]), 1, hidden, activation, name=name)
