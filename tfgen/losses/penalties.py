"""Gradient regularizers of the critic, each with its own (nested) tape.

The caller differentiates the returned penalty with an outer tape, so the
inner tape here must be created inside the outer one: the penalty is then a
function of the critic's weights through the input gradient (double
back-propagation).

References:
  Gulrajani et al. 2017, "Improved Training of Wasserstein GANs" (WGAN-GP,
    Algorithm 1: interpolates with α ~ U[0, 1], two-sided penalty, λ = 10).
  Mescheder et al. 2018, "Which Training Methods for GANs do actually
    Converge?" (R1: (γ/2) E_x ||∇D(x)||² on real data).
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf

Critic = Callable[[tf.Tensor], tf.Tensor]


def _input_grad_sq_norm(critic: Critic, x: tf.Tensor) -> tf.Tensor:
    """Per-example squared norm of ∂ Σ critic(x) / ∂x."""
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = critic(x)
    grad = tape.gradient(out, x)
    axes = list(range(1, len(x.shape)))
    return tf.reduce_sum(tf.square(grad), axis=axes)


def gradient_penalty(critic: Critic, real: tf.Tensor, fake: tf.Tensor,
                     alpha: tf.Tensor) -> tf.Tensor:
    """Two-sided WGAN-GP penalty E (||∇D(x̂)||₂ − 1)², x̂ = α x + (1 − α) x̃.

    Args:
      critic: maps a batch to critic scores (call it with ``training=True``).
      real: real batch.
      fake: generated batch, same shape.
      alpha: per-example interpolation weights in [0, 1], shape [batch].

    Returns:
      Scalar mean penalty (multiply by λ = 10 in the caller).
    """
    shape = [-1] + [1] * (len(real.shape) - 1)
    a = tf.reshape(tf.cast(alpha, real.dtype), shape)
    interp = a * real + (1.0 - a) * fake
    sq = _input_grad_sq_norm(critic, interp)
    # The epsilon keeps the sqrt's gradient finite at a zero input gradient.
    norm = tf.sqrt(sq + 1e-12)
    return tf.reduce_mean(tf.square(norm - 1.0))


def r1_penalty(critic: Critic, real: tf.Tensor) -> tf.Tensor:
    """R1 penalty E ||∇D(x)||² on real data (multiply by γ/2 in the caller)."""
    return tf.reduce_mean(_input_grad_sq_norm(critic, real))
