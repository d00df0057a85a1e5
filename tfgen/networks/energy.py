"""The CoopNets descriptor: a bottom-up ConvNet f(Y; W_D) → one score.

Xie et al. 2018 (``../shared/papers/coopnets_*``), Sec. 5.2: convolutions of
64 5×5 filters with stride 2, 128 3×3 with stride 2 and 256 3×3 with stride
1, then a fully connected layer with 100 outputs, summed to the score
(negative energy); leaky or plain ReLU between. No batch norm: the score of
an example must not depend on the rest of the batch, or Langevin revision
and the MLE gradient would couple examples.
"""

from __future__ import annotations

import keras
from keras import layers


@keras.saving.register_keras_serializable(package="tfgen")
class SumOutputs(layers.Layer):
    """Sums the last axis: the paper's 100 outputs → one score."""

    def call(self, x):
        return keras.ops.sum(x, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (1,)


def coopnets_descriptor(image_shape, width: int = 64, activation: str = "leaky_relu",
                        name: str = "descriptor") -> keras.Model:
    """Sec. 5.2 descriptor; ``width`` scales the 64/128/256 channels."""
    act = {"leaky_relu": lambda: layers.LeakyReLU(0.2), "relu": layers.ReLU}
    if activation not in act:
        raise ValueError(f"activation must be one of {sorted(act)}, got {activation!r}")
    x_in = keras.Input(tuple(image_shape), name="images")
    x = x_in
    for ch, k, s in ((width, 5, 2), (2 * width, 3, 2), (4 * width, 3, 1)):
        x = layers.Conv2D(ch, k, strides=s, padding="same")(x)
        x = act[activation]()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(100)(x)
    out = SumOutputs(dtype="float32", name="score")(x)
    return keras.Model(x_in, out, name=name)
