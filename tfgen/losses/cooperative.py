"""Losses of cooperative learning (CoopNets, CoopInit), as pure functions.

References:
  Xie, Lu, Gao, Wu 2018, "Cooperative Training of Descriptor and Generator
    Networks" (CoopNets): descriptor gradient eq. (5), generator eq. (10).
  Zhao, Xie, Li 2023, "CoopInit: Initializing GANs via Cooperative
    Learning": eq. (3) and Algorithm 1, step G2.
"""

from __future__ import annotations

import tensorflow as tf


def descriptor_mle_loss(score_observed: tf.Tensor,
                        score_synthesized: tf.Tensor) -> tf.Tensor:
    """Negative of the descriptor's log-likelihood gradient surrogate.

    The descriptor defines p(Y) ∝ exp(f(Y)) (times a reference density). The
    MLE gradient (CoopNets eq. 5, CoopInit eq. 3) is
    mean ∂f(Y_obs) − mean ∂f(Y_syn); minimising this loss ascends it.

    Args:
      score_observed: f on observed examples (negative energies), [B] or [B, 1].
      score_synthesized: f on the Langevin-revised synthesized examples.

    Returns:
      Scalar mean f(Y_syn) − mean f(Y_obs).
    """
    return (tf.reduce_mean(tf.cast(score_synthesized, tf.float32))
            - tf.reduce_mean(tf.cast(score_observed, tf.float32)))


def mcmc_teaching_loss(revised: tf.Tensor, generated: tf.Tensor,
                       sigma: float = 1.0) -> tf.Tensor:
    """Generator regression on revised examples: E ||Ỹ − g(X)||² / (2σ²).

    CoopNets eq. (10) is the gradient of this loss with σ the generator's
    noise standard deviation; CoopInit's step G2 uses (1/n) Σ ||x̃ − G(ẑ)||²,
    which is σ² = 1/2.

    Args:
      revised: the Langevin-revised examples Ỹ (treated as constants).
      generated: g(X) for the latents that produced them.
      sigma: the generator's noise standard deviation σ.

    Returns:
      Scalar mean over the batch of the per-example sum of squares / (2σ²).
    """
    diff = tf.cast(tf.stop_gradient(revised), tf.float32) - tf.cast(generated, tf.float32)
    axes = list(range(1, len(diff.shape)))
    return tf.reduce_mean(tf.reduce_sum(tf.square(diff), axis=axes)) / (2.0 * sigma ** 2)
