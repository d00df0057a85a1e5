"""Multi-layer perceptrons for low-dimensional data (the 2-D mixtures)."""

from __future__ import annotations

import keras
from keras import layers


def mlp(in_dim: int, out_dim: int, hidden=(128, 128), activation="relu",
        out_activation=None, name: str = "mlp", in_scale: float = 1.0,
        out_scale: float = 1.0) -> keras.Model:
    """Plain MLP in_dim → hidden... → out_dim.

    Args:
      in_dim: input size.
      out_dim: output size.
      hidden: sizes of the hidden layers.
      activation: hidden activation.
      out_activation: output activation (None for linear).
      name: model name.
      in_scale: the input is multiplied by this before the first layer.
      out_scale: the output is multiplied by this after the last layer.
        A factor of 1 adds no layer, so such models keep their weights'
        layout.

    Returns:
      A functional keras.Model.
    """
    x_in = keras.Input((in_dim,))
    x = x_in
    if in_scale != 1:
        x = layers.Rescaling(in_scale, name="in_scale")(x)
    for units in hidden:
        x = layers.Dense(units, activation=activation)(x)
    out = layers.Dense(out_dim, activation=out_activation, dtype="float32")(x)
    if out_scale != 1:
        out = layers.Rescaling(out_scale, name="out_scale", dtype="float32")(out)
    return keras.Model(x_in, out, name=name)


def mlp_generator(latent_dim: int, image_shape, hidden=(128, 128),
                  activation="relu", scale: float = 1.0,
                  name: str = "generator") -> keras.Model:
    """Generator z → points of shape ``image_shape`` (e.g. (2,)), linear output.

    ``scale`` multiplies the output: the network works in units of
    ``scale`` (the data's extent), so that its initial outputs and the
    size of its weight updates match data larger than unit scale.
    """
    return mlp(latent_dim, int(image_shape[0]), hidden, activation, name=name,
               out_scale=scale)


def mlp_discriminator(image_shape, hidden=(128, 128), activation="relu",
                      scale: float = 1.0,
                      name: str = "discriminator") -> keras.Model:
    """Critic points → one raw score; ``scale`` divides the input (the
    generator's ``scale``, for the same units)."""
    return mlp(int(image_shape[0]), 1, hidden, activation, name=name,
               in_scale=1.0 / scale)
