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


# (filters as multiples of width, kernel, stride) per convolution.
LAYOUTS = {
    # The paper's Sec. 5.2 (its 64x64 scenes).
    "paper": ((1, 5, 2), (2, 3, 2), (4, 3, 1)),
    # The authors' TensorFlow release for MNIST (jianwen-xie/CoopNets, net_type mnist):
    # three 4x4 convolutions of stride 2.
    "release_mnist": ((1, 4, 2), (2, 4, 2), (4, 4, 2)),
}


def coopnets_descriptor(image_shape, width: int = 64, activation: str = "leaky_relu",
                        layout: str = "paper", init_std: float = 0.0,
                        name: str = "descriptor") -> keras.Model:
    """Sec. 5.2 descriptor; ``width`` scales the 64/128/256 channels.

    Args:
      layout: a key of :data:`LAYOUTS`.
      init_std: when > 0, every kernel starts from N(0, init_std²) and every
        bias at 0 (the authors' release uses 0.01); 0 keeps Keras' defaults.
    """
    act = {"leaky_relu": lambda: layers.LeakyReLU(0.2), "relu": layers.ReLU}
    if activation not in act:
        raise ValueError(f"activation must be one of {sorted(act)}, got {activation!r}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {sorted(LAYOUTS)}, got {layout!r}")
    init = (keras.initializers.RandomNormal(stddev=float(init_std)) if init_std > 0
            else "glorot_uniform")
    x_in = keras.Input(tuple(image_shape), name="images")
    x = x_in
    for mult, k, s in LAYOUTS[layout]:
        x = layers.Conv2D(mult * width, k, strides=s, padding="same",
                          kernel_initializer=init)(x)
        x = act[activation]()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(100, kernel_initializer=init)(x)
    out = SumOutputs(dtype="float32", name="score")(x)
    return keras.Model(x_in, out, name=name)
