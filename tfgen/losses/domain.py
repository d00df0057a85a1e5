"""Losses of domain-adversarial training (DANN).

Ganin et al. 2016, "Domain-Adversarial Training of Neural Networks"
(JMLR 17), Eq. 9–10 and Algorithm 1; the GAN tutorial's DANN section
writes the same game as min over (features, label predictor), max over
the domain classifier of L_y − λ·L_d. Pure functions, mean over the local
batch, no distribution scaling.
"""

from __future__ import annotations

import tensorflow as tf


def label_loss(logits: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """L_y: mean softmax cross-entropy of the source labels.

    Args:
      logits: [B, K] class logits of SOURCE examples.
      labels: [B] int class ids 0..K−1.
    """
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=tf.cast(logits, tf.float32)))


def domain_classifier_loss(source_logits: tf.Tensor,
                           target_logits: tf.Tensor) -> tf.Tensor:
    """L_d: logistic loss of telling source (label 0) from target (label 1).

    The mean of the two domains' mean losses, so each half of the batch
    weighs the same (the paper's batches are half source, half target).

    Args:
      source_logits: [B] or [B, 1] domain logits of source features.
      target_logits: [B'] or [B', 1] domain logits of target features.
    """
    s = tf.reshape(tf.cast(source_logits, tf.float32), [-1])
    t = tf.reshape(tf.cast(target_logits, tf.float32), [-1])
    ls = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(s), logits=s)
    lt = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(t), logits=t)
    return 0.5 * (tf.reduce_mean(ls) + tf.reduce_mean(lt))


def domain_accuracy(source_logits: tf.Tensor, target_logits: tf.Tensor) -> tf.Tensor:
    """Fraction of both halves the domain classifier gets right (0.5: confused)."""
    s = tf.reshape(tf.cast(source_logits, tf.float32), [-1])
    t = tf.reshape(tf.cast(target_logits, tf.float32), [-1])
    right = tf.concat([tf.cast(s < 0, tf.float32), tf.cast(t > 0, tf.float32)], 0)
    return tf.reduce_mean(right)


def dann_objective(label: tf.Tensor, domain: tf.Tensor, lam) -> tf.Tensor:
    """E = L_y − λ·L_d, which features and label predictor minimise (Eq. 9)."""
    return label - tf.cast(lam, tf.float32) * domain
