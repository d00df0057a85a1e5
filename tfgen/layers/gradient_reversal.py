"""The gradient reversal layer of DANN (Ganin et al. 2016, JMLR, Sec. 5.1).

Forward it is the identity; backward it multiplies the incoming gradient by
−λ. Placed between a feature extractor and a domain classifier, one
gradient step on L_y + L_d then *descends* L_d in the domain classifier
and *ascends* λ·L_d in the feature extractor: the saddle point of the
DANN minimax by plain back-propagation. It is a layer built on
``tf.custom_gradient``, not an optimizer trick, so it composes with any
model and is tested on its own (tests/test_gradient_reversal.py).

λ can change during training (the paper's schedule
λ_p = 2 / (1 + exp(−γ·p)) − 1): it is a non-trainable variable of the layer,
set with :meth:`GradientReversal.set_lambda` or passed per call.
"""

from __future__ import annotations

import math

import keras
import tensorflow as tf


def reverse_gradient(x: tf.Tensor, lam) -> tf.Tensor:
    """Identity on ``x`` whose gradient is −``lam`` times the incoming one.

    Args:
      x: any float tensor.
      lam: scalar λ ≥ 0 (a tensor or number); it gets no gradient.
    """
    lam = tf.stop_gradient(tf.cast(lam, x.dtype))

    @tf.custom_gradient
    def _reverse(t):
        def grad(upstream):
            return -lam * upstream
        return tf.identity(t), grad

    return _reverse(x)


def dann_lambda(progress, gamma: float = 10.0):
    """λ_p = 2 / (1 + exp(−γ·p)) − 1 for training progress p in [0, 1].

    Ganin et al. 2016, Sec. 5.2.2 (γ = 10): λ grows from 0 to about 1, so the
    domain classifier's noisy early signal is damped.
    """
    if isinstance(progress, (int, float)):
        return 2.0 / (1.0 + math.exp(-gamma * progress)) - 1.0
    p = tf.cast(progress, tf.float32)
    return 2.0 / (1.0 + tf.exp(-gamma * p)) - 1.0


@keras.saving.register_keras_serializable(package="tfgen")
class GradientReversal(keras.layers.Layer):
    """Identity forward, −λ × gradient backward.

    Args:
      lam: the initial λ (default 1).
    """

    def __init__(self, lam: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.initial_lambda = float(lam)
        self.lam = self.add_weight(
            shape=(), initializer=keras.initializers.Constant(self.initial_lambda),
            trainable=False, name="lambda", dtype="float32")

    def set_lambda(self, value) -> None:
        self.lam.assign(tf.cast(value, tf.float32))

    def call(self, inputs, lam=None):
        return reverse_gradient(inputs, self.lam if lam is None else lam)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "lam": self.initial_lambda}
