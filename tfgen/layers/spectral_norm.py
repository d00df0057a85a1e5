"""Spectral normalisation of a Dense or Conv2D layer (Miyato et al. 2018).

Miyato, Kataoka, Koyama and Yoshida 2018, "Spectral Normalization for
Generative Adversarial Networks" (ICLR), Sec. 2.1-2.2 and Algorithm 1: the
layer computes with W_SN = W / σ(W), where σ(W) is the largest singular value
of the kernel reshaped to a matrix [fan_in, units], estimated by power
iteration with a persistent vector u (one iteration per training call is the
paper's default). The trainable parameter stays W; gradients flow through
W / σ(W), with u and v held constant (the paper's Eq. 12-13).

Why not ``keras.layers.SpectralNormalization``: in Keras 3 that wrapper
*assigns* W / σ into the kernel variable at every training call and then runs
the layer on it, so the optimiser updates the normalised kernel and the
gradient ignores σ's dependence on W. This layer keeps the paper's
re-parameterisation.

Under ``tf.distribute`` the replicas hold the same W and u, so each computes
the same new u; the vector is kept with ``only_first_replica`` aggregation,
so 2 replicas update it exactly as 1 device does.
"""

from __future__ import annotations

import keras
from keras import layers, ops


def _unit(x, eps: float = 1e-12):
    return x / (ops.sqrt(ops.sum(ops.square(x))) + eps)


@keras.saving.register_keras_serializable(package="tfgen")
class SpectralNorm(layers.Wrapper):
    """Wraps a ``Dense`` or ``Conv2D`` so that it computes with W / σ(W).

    Args:
      layer: the Dense or Conv2D layer to normalise (built on first call).
      power_iterations: power-iteration steps per call (paper: 1).

    In training calls the power-iteration vector u is stored; in inference
    calls σ is estimated from the stored u and nothing is written.
    """

    def __init__(self, layer, power_iterations: int = 1, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(layer, (layers.Dense, layers.Conv2D)):
            raise ValueError(f"SpectralNorm wraps a Dense or Conv2D layer, got "
                             f"{type(layer).__name__}")
        if getattr(layer, "data_format", "channels_last") != "channels_last":
            raise ValueError("SpectralNorm supports channels_last convolutions only")
        if power_iterations < 1:
            raise ValueError(f"power_iterations must be >= 1, got {power_iterations}")
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        units = self.layer.kernel.shape[-1]
        self.u = self.add_weight(
            shape=(1, units), name="u", trainable=False, dtype="float32",
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            aggregation="only_first_replica")

    def sigma(self, training: bool = False):
        """σ(W) estimated by the power iteration (stores u when ``training``)."""
        w = ops.cast(self.layer.kernel, "float32")
        w = ops.reshape(w, (-1, w.shape[-1]))
        u = self.u.value
        for _ in range(self.power_iterations):
            v = _unit(ops.matmul(u, ops.transpose(w)))
            u = _unit(ops.matmul(v, w))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        if training:
            self.u.assign(u)
        return ops.squeeze(ops.matmul(ops.matmul(v, w), ops.transpose(u)))

    def call(self, inputs, training=False):
        layer = self.layer
        kernel = ops.cast(layer.kernel, "float32") / self.sigma(bool(training))
        kernel = ops.cast(kernel, inputs.dtype)
        if isinstance(layer, layers.Conv2D):
            y = layer.convolution_op(inputs, kernel)
        else:
            y = ops.matmul(inputs, kernel)
        if layer.use_bias:
            y = y + ops.cast(layer.bias, inputs.dtype)
        return layer.activation(y) if layer.activation is not None else y

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
