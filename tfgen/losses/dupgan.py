"""Losses of the Duplex GAN (DupGAN) for unsupervised domain adaptation.

Hu, Kan, Shan & Chen 2018, "Duplex Generative Adversarial Network for
Unsupervised Domain Adaptation" (CVPR); the GAN tutorial's DupGAN section.
Each discriminator has K + 1 outputs: K classes and one "fake" class
(index K). Real images are to be classified as their class (source: its
label; target: its pseudo-label), translated images as fake by the
discriminators and as the class of the image they came from by the
generator. Pure functions, mean over the local batch, no distribution
scaling.

Pseudo-labels come with a 0/1 ``mask`` (confident enough, see
:func:`pseudo_labels`); masked terms are summed over the kept examples and
divided by the WHOLE local batch, never by the number kept, so a batch
split over replicas gives the same gradient as on one device.
"""

from __future__ import annotations

import tensorflow as tf


def _ce(logits, labels):
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    return tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=tf.cast(logits, tf.float32))


def class_loss(logits, labels, mask=None) -> tf.Tensor:
    """Mean softmax cross-entropy; with ``mask``, Σ mask·CE / batch size.

    Args:
      logits: [B, C] logits.
      labels: [B] int class ids.
      mask: optional [B] 0/1 (or weights) per example.
    """
    ce = _ce(logits, labels)
    if mask is None:
        return tf.reduce_mean(ce)
    return tf.reduce_sum(ce * tf.cast(mask, tf.float32)) / tf.cast(tf.size(ce), tf.float32)


def fake_loss(logits) -> tf.Tensor:
    """Mean cross-entropy of the "fake" class (the last of K + 1 logits)."""
    fake = tf.fill([tf.shape(logits)[0]], tf.shape(logits)[-1] - 1)
    return tf.reduce_mean(_ce(logits, fake))


def pseudo_labels(logits, threshold: float):
    """(argmax labels, 0/1 mask of max softmax ≥ threshold), no gradient."""
    p = tf.nn.softmax(tf.stop_gradient(tf.cast(logits, tf.float32)), -1)
    labels = tf.argmax(p, -1, output_type=tf.int32)
    mask = tf.cast(tf.reduce_max(p, -1) >= threshold, tf.float32)
    return labels, mask


def class_balanced_pseudo_labels(logits, fraction):
    """(argmax labels, 0/1 mask keeping each class's most confident), no gradient.

    Class-balanced selection (Zou, Yu, Kumar & Wang 2018, "Unsupervised
    Domain Adaptation for Semantic Segmentation via Class-Balanced
    Self-Training", ECCV): instead of one confidence threshold for all
    classes, each class keeps the top ``fraction`` of the examples
    predicted as it, ranked by their max softmax. Example i, predicted as
    class c by n_c examples of the batch, is kept when fewer than
    ``fraction`` · n_c of them are more confident than it (ties: the
    earlier example ranks first), i.e. the top ⌈fraction · n_c⌉ of class c.
    So no class can take over the pseudo-labelled set however confident
    the classifier becomes, and the set is at most about ``fraction`` of
    the batch plus one per predicted class. The ranking is within the
    batch it is given; ``DupGAN.pseudo_labels`` gives it the global batch
    (gathered over replicas), so 2 replicas select as 1 device.

    Args:
      logits: [B, K] classifier logits.
      fraction: scalar in [0, 1], the share of each class to keep.
    """
    p = tf.nn.softmax(tf.stop_gradient(tf.cast(logits, tf.float32)), -1)
    labels = tf.argmax(p, -1, output_type=tf.int32)
    conf = tf.reduce_max(p, -1)
    same = tf.equal(labels[:, None], labels[None, :])          # [i, j]: same class
    index = tf.range(tf.shape(conf)[0])
    ahead = (conf[None, :] > conf[:, None]) | (
        tf.equal(conf[None, :], conf[:, None]) & (index[None, :] < index[:, None]))
    rank = tf.reduce_sum(tf.cast(same & ahead, tf.float32), -1)   # others ahead of i
    count = tf.reduce_sum(tf.cast(same, tf.float32), -1)          # n_c of i's class
    mask = tf.cast(rank < tf.cast(fraction, tf.float32) * count, tf.float32)
    return labels, mask


def discriminator_loss(real_s, y_s, fake_s, real_t, y_t, mask_t, fake_t) -> tf.Tensor:
    """L_D of the two (K+1)-way discriminators.

    D_s: source images as their labels, target→source translations as fake;
    D_t: target images as their (confident) pseudo-labels, source→target
    translations as fake:

        L_D = CE(D_s(x_s), y_s) + CE(D_s(G(E(x_t), s)), fake)
            + CE_mask(D_t(x_t), ỹ_t) + CE(D_t(G(E(x_s), t)), fake).

    Args:
      real_s: D_s logits of source images; fake_s: of translations into s.
      real_t: D_t logits of target images; fake_t: of translations into t.
    """
    return (class_loss(real_s, y_s) + fake_loss(fake_s)
            + class_loss(real_t, y_t, mask_t) + fake_loss(fake_t))


def generator_adversarial_loss(fake_s, y_t, mask_t, fake_t, y_s) -> tf.Tensor:
    """The generator's duplex loss: each translation classified as the class
    of the image it came from by the other domain's discriminator,

        L_adv = CE_mask(D_s(G(E(x_t), s)), ỹ_t) + CE(D_t(G(E(x_s), t)), y_s).
    """
    return class_loss(fake_s, y_t, mask_t) + class_loss(fake_t, y_s)


def reconstruction_loss(x, x_rec) -> tf.Tensor:
    """Mean absolute error per pixel (L1) of an image and its reconstruction."""
    return tf.reduce_mean(tf.abs(tf.cast(x, tf.float32) - tf.cast(x_rec, tf.float32)))
