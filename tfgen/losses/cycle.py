"""Losses of the two-domain translation games (CycleGAN, DiscoGAN).

Pure functions over tensors: each is a mean over the *local* batch and over
every pixel and channel, with no distribution scaling (the model divides by
the number of replicas before differentiating).

References:
  Zhu et al. 2017, "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks" (CycleGAN), eq. 2 (cycle
    consistency, L1) and Sec. 5.2 (identity mapping loss, Taigman et al.).
  Kim et al. 2017, "Learning to Discover Cross-Domain Relations with
    Generative Adversarial Networks" (DiscoGAN), Sec. 3.2: the
    reconstruction loss d(G_BA(G_AB(x_A)), x_A) in both domains, with a
    distance such as the mean squared error.
"""

from __future__ import annotations

import tensorflow as tf

DISTANCES = ("l1", "l2")


def _distance(x, y, distance: str) -> tf.Tensor:
    diff = tf.cast(x, tf.float32) - tf.cast(y, tf.float32)
    if distance == "l1":
        return tf.reduce_mean(tf.abs(diff))
    if distance == "l2":
        return tf.reduce_mean(tf.square(diff))
    raise ValueError(f"unknown distance {distance!r}; valid: {', '.join(DISTANCES)}")


def cycle_consistency_loss(x, x_reconstructed, y, y_reconstructed,
                           distance: str = "l1") -> tf.Tensor:
    """Cycle-consistency loss E‖F(G(x)) − x‖ + E‖G(F(y)) − y‖.

    Normalisation: each of the two terms is the mean over the local batch
    AND over every pixel and channel of the absolute (``"l1"``, CycleGAN's
    eq. 2) or squared (``"l2"``, DiscoGAN's mean squared error) difference;
    the two means are added, unweighted. So one image of 28×28×1 pixels
    that is off by 0.5 everywhere, reconstructed perfectly in the other
    domain, gives 0.5 (L1) or 0.25 (L2): the loss does not grow with the
    image size, and λ = 10 weighs it as in the paper's released code
    (per-pixel mean). Multiply by λ outside.

    Args:
      x: domain-A images [B, ...]; x_reconstructed: F(G(x)), same shape.
      y: domain-B images [B', ...]; y_reconstructed: G(F(y)), same shape.
      distance: "l1" (CycleGAN) or "l2" (DiscoGAN).

    Returns:
      Scalar float32 loss.
    """
    return _distance(x, x_reconstructed, distance) + _distance(y, y_reconstructed, distance)


def identity_loss(x, f_of_x, y, g_of_y, distance: str = "l1") -> tf.Tensor:
    """Identity-mapping loss E‖F(x) − x‖ + E‖G(y) − y‖ (Zhu et al. Sec. 5.2).

    G: A → B fed a B image (and F: B → A fed an A image) should leave it as
    it is; it keeps colours from drifting. Normalised as
    :func:`cycle_consistency_loss`; only meaningful when both domains have
    the same image shape. CycleGAN weighs it 0.5·λ.
    """
    return _distance(x, f_of_x, distance) + _distance(y, g_of_y, distance)
