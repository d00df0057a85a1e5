"""Adversarial losses of the GAN family, as pure functions.

Every function takes the discriminator's raw outputs (logits or critic
scores, any shape with a leading batch dimension) and returns the mean over
the *local* batch. No distribution scaling happens here: the model divides by
the number of replicas before differentiating (``tfgen.distribute.scale_loss``).

References:
  Goodfellow et al. 2014, "Generative Adversarial Nets" (minimax, eq. 1, and
    the non-saturating generator loss of Sec. 3).
  Mao et al. 2017, "Least Squares GANs" (a-b-c = 0-1-1 coding, eq. 2).
  Arjovsky et al. 2017, "Wasserstein GAN" (Algorithm 1).
  Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018 (hinge loss).
"""

from __future__ import annotations

import tensorflow as tf


def _mean(x: tf.Tensor) -> tf.Tensor:
    return tf.reduce_mean(tf.cast(x, tf.float32))


def gan_discriminator_loss(real_logits: tf.Tensor,
                           fake_logits: tf.Tensor) -> tf.Tensor:
    """Cross-entropy loss of the GAN discriminator: −log D(x) − log(1 − D(G(z))).

    Args:
      real_logits: discriminator logits on real data.
      fake_logits: discriminator logits on generated data.

    Returns:
      Scalar mean loss; D = sigmoid(logits), computed stably as softplus.
    """
    # -log sigmoid(l) = softplus(-l); -log(1 - sigmoid(l)) = softplus(l).
    return _mean(tf.nn.softplus(-real_logits)) + _mean(tf.nn.softplus(fake_logits))


def minimax_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """Saturating generator loss log(1 − D(G(z))) of the original minimax game.

    Its gradient vanishes when D confidently rejects the samples, which is why
    the non-saturating loss is the usual choice (Goodfellow et al. 2014, Sec. 3).

    Args:
      fake_logits: discriminator logits on generated data.

    Returns:
      Scalar mean of log(1 − sigmoid(l)) = −softplus(l), minimised by G.
    """
    return -_mean(tf.nn.softplus(fake_logits))


def non_saturating_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """Non-saturating generator loss −log D(G(z)).

    Args:
      fake_logits: discriminator logits on generated data.

    Returns:
      Scalar mean of softplus(−l).
    """
    return _mean(tf.nn.softplus(-fake_logits))


def least_squares_discriminator_loss(real_out: tf.Tensor,
                                     fake_out: tf.Tensor) -> tf.Tensor:
    """LSGAN discriminator loss ½E(D(x) − 1)² + ½E D(G(z))² (a=0, b=1)."""
    return 0.5 * _mean(tf.square(real_out - 1.0)) + 0.5 * _mean(tf.square(fake_out))


def least_squares_generator_loss(fake_out: tf.Tensor) -> tf.Tensor:
    """LSGAN generator loss ½E(D(G(z)) − 1)² (c=1)."""
    return 0.5 * _mean(tf.square(fake_out - 1.0))


def wasserstein_discriminator_loss(real_score: tf.Tensor,
                                   fake_score: tf.Tensor) -> tf.Tensor:
    """WGAN critic loss E f(G(z)) − E f(x): minimising it widens the gap."""
    return _mean(fake_score) - _mean(real_score)


def wasserstein_generator_loss(fake_score: tf.Tensor) -> tf.Tensor:
    """WGAN generator loss −E f(G(z))."""
    return -_mean(fake_score)


def hinge_discriminator_loss(real_score: tf.Tensor,
                             fake_score: tf.Tensor) -> tf.Tensor:
    """Hinge critic loss E max(0, 1 − D(x)) + E max(0, 1 + D(G(z)))."""
    return _mean(tf.nn.relu(1.0 - real_score)) + _mean(tf.nn.relu(1.0 + fake_score))


def hinge_generator_loss(fake_score: tf.Tensor) -> tf.Tensor:
    """Hinge generator loss −E D(G(z)) (same as the Wasserstein one)."""
    return -_mean(fake_score)


# name -> (discriminator loss, generator loss). Configs select by name.
ADVERSARIAL_LOSSES = {
    "minimax": (gan_discriminator_loss, minimax_generator_loss),
    "non_saturating": (gan_discriminator_loss, non_saturating_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "wasserstein": (wasserstein_discriminator_loss, wasserstein_generator_loss),
    "hinge": (hinge_discriminator_loss, hinge_generator_loss),
}
