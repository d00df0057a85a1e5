"""The semi-supervised GAN's losses: a K-class classifier that is also D.

Salimans et al. 2016, "Improved Techniques for Training GANs", Sec. 5 (the
GAN tutorial's semi-supervised GAN): the discriminator outputs K class
logits l_1..l_K and, with the generated examples as class K + 1 whose logit
is fixed at 0, D(x) = Z(x) / (Z(x) + 1) with Z(x) = Σ_k exp l_k(x). Then

    log D(x)       = LSE(l(x)) − softplus(LSE(l(x))),
    log (1 − D(x)) = −softplus(LSE(l(x))).

* ``semi_supervised_classifier_loss``: L_supervised, the cross-entropy of
  the labelled examples' classes (only the labelled subset is passed in);
* ``semi_supervised_discriminator_loss``: L_unsupervised
  = −E_data log D(x) − E_G log(1 − D(G(z))), on unlabelled data;
* ``semi_supervised_generator_loss``: −E_G log D(G(z)) (non-saturating);
* ``feature_matching_loss``: ||E_data f(x) − E_G f(G(z))||², the
  generator's loss of Salimans et al. Sec. 3.1 on an intermediate layer f.

Pure functions: means over the local batch, no distribution scaling.
"""

from __future__ import annotations

import tensorflow as tf


def _lse(logits):
    return tf.reduce_logsumexp(tf.cast(logits, tf.float32), axis=-1)


def real_probability_logit(class_logits: tf.Tensor) -> tf.Tensor:
    """logit D(x) = LSE(l(x)) (D(x) = sigmoid of it), per example [B]."""
    return _lse(class_logits)


def semi_supervised_classifier_loss(labelled_logits: tf.Tensor,
                                    labels: tf.Tensor) -> tf.Tensor:
    """−E log p(y | x, y < K + 1) over the labelled examples.

    Args:
      labelled_logits: [B, K] class logits of the labelled examples.
      labels: [B] int class ids in 0..K−1.
    """
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=tf.cast(labelled_logits, tf.float32)))


def semi_supervised_discriminator_loss(real_logits: tf.Tensor,
                                       gen_logits: tf.Tensor) -> tf.Tensor:
    """−E_data log D(x) − E_G log(1 − D(G(z))) with D(x) = Z / (Z + 1).

    Args:
      real_logits: [B, K] class logits of (unlabelled) data.
      gen_logits: [B', K] class logits of generated examples.
    """
    real = _lse(real_logits)
    gen = _lse(gen_logits)
    return (tf.reduce_mean(tf.nn.softplus(real) - real)
            + tf.reduce_mean(tf.nn.softplus(gen)))


def semi_supervised_generator_loss(gen_logits: tf.Tensor) -> tf.Tensor:
    """−E_G log D(G(z)), the non-saturating generator loss on the K logits."""
    gen = _lse(gen_logits)
    return tf.reduce_mean(tf.nn.softplus(gen) - gen)


def feature_matching_loss(real_features: tf.Tensor,
                          gen_features: tf.Tensor) -> tf.Tensor:
    """||E f(x) − E f(G(z))||²₂ (Salimans et al. 2016, Sec. 3.1).

    The means are over the local batch: on several replicas each matches
    its own batch's statistics (as the paper's minibatches do).
    """
    real = tf.reduce_mean(tf.cast(real_features, tf.float32), axis=0)
    gen = tf.reduce_mean(tf.cast(gen_features, tf.float32), axis=0)
    return tf.reduce_sum(tf.square(real - gen))
