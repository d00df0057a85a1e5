"""SeqGAN's losses: maximum likelihood, REINFORCE with rollout rewards, the discriminator.

Yu et al. 2017, "SeqGAN: Sequence Generative Adversarial Nets with Policy
Gradient" (AAAI). Every loss is a mean over the local batch and the time
steps (no distribution scaling), so that with a constant reward c the
policy-gradient loss is c times the maximum-likelihood loss of the same
sequences, and their gradients agree up to that factor.
"""

from __future__ import annotations

import tensorflow as tf


def mle_loss(log_probs: tf.Tensor) -> tf.Tensor:
    """Per-token negative log-likelihood, −mean_{b,t} log G(y_t | y_{<t}).

    Args:
      log_probs: float [B, T] from ``tfgen.samplers.rollout.log_probs``.
    """
    return -tf.reduce_mean(log_probs)


def policy_gradient_loss(log_probs: tf.Tensor, rewards: tf.Tensor) -> tf.Tensor:
    """REINFORCE with action values Q (SeqGAN eq. 6): −mean_{b,t} Q_t log G(y_t | y_{<t}).

    Args:
      log_probs: float [B, T], differentiable in the generator.
      rewards: Q(Y_{1:t-1}, y_t), float [B, T]; treated as constants.
    """
    return -tf.reduce_mean(tf.stop_gradient(tf.cast(rewards, log_probs.dtype)) * log_probs)


def rollout_rewards(final_reward: tf.Tensor, rollout_reward: tf.Tensor) -> tf.Tensor:
    """Q of every position (SeqGAN eq. 4), float [B, T].

    Args:
      final_reward: D(Y_{1:T}) of the complete sequences, [B].
      rollout_reward: D of each rollout, [B, N, T-1]: Q_t for t < T is its
        mean over the N rollouts of prefix Y_{1:t}.
    """
    q = tf.reduce_mean(rollout_reward, axis=1)
    return tf.concat([q, tf.reshape(final_reward, [-1, 1])], axis=1)


def discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """Cross-entropy of D on real (label 1) and generated (label 0) sequences (eq. 5).

    The mean over the two halves of a balanced batch: (BCE(real) + BCE(fake)) / 2.
    """
    real = tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(real_logits), real_logits)
    fake = tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(fake_logits), fake_logits)
    return 0.5 * (tf.reduce_mean(real) + tf.reduce_mean(fake))
