"""Langevin dynamics as a compiled loop, for energy-based models.

One generic sampler, x ← x + (δ²/2) ∇ log p(x) + noise_scale · δ · U,
U ~ N(0, I), run in a ``tf.while_loop`` so it can be called from a Keras
``train_step`` (where autograph is off) and compiled by XLA. Two thin
wrappers give the update forms of the papers:

* CoopNets eq. (4) (Xie et al. 2018): with p(Y) ∝ exp(f(Y)) N(Y; 0, s² I),
  Y ← Y − (δ²/2)(Y/s² − ∂f/∂Y) + δ U;
* CoopInit eq. (4) (Zhao et al. 2023): x ← x + η ∇ₓD(x) + ε, ε ~ N(0, 2η I),
  i.e. the generic step with δ² = 2η and log p = D.

Noise is drawn per step from a stateless seed with
``tfgen.distribute.replica_normal``: distinct on each replica, and N
replicas reproduce one device's chains exactly. The result is wrapped in
``tf.stop_gradient``: both papers treat revised samples as constants in the
parameter updates.
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf

from tfgen import distribute

LogDensity = Callable[[tf.Tensor], tf.Tensor]


def _grad_log_density(log_density: LogDensity, x: tf.Tensor) -> tf.Tensor:
    with tf.GradientTape() as tape:
        tape.watch(x)
        # Examples are independent, so the gradient of the sum is each
        # example's own gradient.
        total = tf.reduce_sum(log_density(x))
    return tape.gradient(total, x)


def langevin(log_density: LogDensity, x0: tf.Tensor, num_steps: int,
             step_size: float, seed: tf.Tensor, noise_scale: float = 1.0,
             return_trace: bool = False, bounds=None):
    """Runs ``num_steps`` of unadjusted Langevin dynamics from ``x0``.

    Args:
      log_density: maps a batch to per-example log p(x) up to a constant
        (e.g. the negative energy); must be differentiable in x.
      x0: starting points [batch, ...] (this replica's slice).
      num_steps: number of updates (a Python int or scalar tensor).
      step_size: δ; the drift is (δ²/2) ∇ log p.
      seed: stateless seed, int32 [2]; step t uses fold_in(seed, t).
      noise_scale: multiplies the noise δ·U (1 = exact Langevin; 0 = gradient
        ascent on log p).
      return_trace: also return the mean log density at each step, [num_steps].
      bounds: optional (low, high): project the state back into this box after
        every step (projected Langevin; keeps images in the data range).

    Returns:
      The final state (no gradient flows back through it), and the trace if
      asked.
    """
    x0 = tf.convert_to_tensor(x0)
    dtype = x0.dtype
    delta = tf.cast(step_size, dtype)
    drift = 0.5 * delta * delta
    scale = tf.cast(noise_scale, dtype) * delta
    n = tf.convert_to_tensor(num_steps, tf.int32)
    trace = tf.TensorArray(dtype, size=n)

    def body(t, x, trace):
        g = _grad_log_density(log_density, x)
        noise = distribute.replica_normal(
            tf.shape(x), tf.random.experimental.stateless_fold_in(seed, t), dtype)
        x = x + drift * g + scale * noise
        if bounds is not None:
            x = tf.clip_by_value(x, tf.cast(bounds[0], dtype), tf.cast(bounds[1], dtype))
        if return_trace:
            trace = trace.write(t, tf.reduce_mean(tf.cast(log_density(x), dtype)))
        return t + 1, x, trace

    _, x, trace = tf.while_loop(lambda t, *_: t < n, body,
                                (tf.constant(0, tf.int32), x0, trace))
    x = tf.stop_gradient(x)
    if return_trace:
        return x, trace.stack()
    return x


def coopnets_revise(score_fn: LogDensity, y0: tf.Tensor, num_steps: int,
                    delta: float, ref_std: float, seed: tf.Tensor,
                    return_trace: bool = False, bounds=None):
    """CoopNets eq. (4): Y ← Y − (δ²/2)(Y/s² − ∂f/∂Y) + δ U.

    Args:
      score_fn: the descriptor f(Y) (negative energy), per example.
      y0: initial examples (e.g. the generator's drafts).
      num_steps: l_D.
      delta: δ, the Langevin step size.
      ref_std: s, standard deviation of the Gaussian reference q(Y).
      seed: stateless seed, int32 [2].
      return_trace: also return the per-step mean log density.
      bounds: optional (low, high) box to project into after each step.
    """
    inv_var = 1.0 / float(ref_std) ** 2

    def log_p(y):
        sq = tf.reduce_sum(tf.square(y), axis=list(range(1, len(y.shape))))
        return tf.reshape(score_fn(y), [-1]) - 0.5 * inv_var * sq

    return langevin(log_p, y0, num_steps, delta, seed, return_trace=return_trace,
                    bounds=bounds)


def coopinit_langevin(score_fn: LogDensity, x0: tf.Tensor, num_steps: int,
                      eta: float, seed: tf.Tensor, return_trace: bool = False):
    """CoopInit eq. (4): x ← x + η ∇ₓD(x) + ε, ε ~ N(0, 2η I).

    The generic step with δ = √(2η): drift (δ²/2)∇D = η∇D, noise δ·U.
    """
    delta = (2.0 * float(eta)) ** 0.5
    return langevin(lambda x: tf.reshape(score_fn(x), [-1]), x0, num_steps,
                    delta, seed, return_trace=return_trace)
