"""Losses of paired image-to-image translation (Pix2Pix), as pure functions.

Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial
Networks", eqs. 1–4: the conditional GAN objective on (input, output) pairs
plus λ·L1 between the output and the true target, λ = 100 in the paper.
Means over the local batch, no distribution scaling (``tfgen.losses``).
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf

from tfgen.losses.adversarial import non_saturating_generator_loss


def l1_reconstruction_loss(target: tf.Tensor, output: tf.Tensor) -> tf.Tensor:
    """L1 distance E‖y − G(x)‖₁ (Isola et al. 2017, eq. 3), per pixel.

    Args:
      target: true images y, [B, H, W, C].
      output: translated images G(x), same shape.

    Returns:
      Scalar mean of |y − G(x)| over the batch, pixels and channels (the
      mean, not the sum, over pixels: λ = 100 of the paper is for this
      normalisation, as in its released code).
    """
    diff = tf.cast(target, tf.float32) - tf.cast(output, tf.float32)
    return tf.reduce_mean(tf.abs(diff))


def pix2pix_generator_loss(fake_logits: tf.Tensor, target: tf.Tensor,
                           output: tf.Tensor, l1_weight: float = 100.0,
                           adversarial_weight: float = 1.0,
                           adversarial: Callable = non_saturating_generator_loss
                           ) -> tf.Tensor:
    """The generator's objective: adversarial(D(x, G(x))) + λ·L1 (eq. 4).

    Args:
      fake_logits: the discriminator's logits on (input, G(input)) pairs
        (any shape with a leading batch axis, e.g. a PatchGAN map).
      target: true images y.
      output: translated images G(x).
      l1_weight: λ (0: cGAN only, the paper's "cGAN" ablation).
      adversarial_weight: 1, or 0 for L1 only (the paper's "L1" ablation).
      adversarial: a generator loss of ``tfgen.losses.ADVERSARIAL_LOSSES``.

    Returns:
      Scalar loss.
    """
    loss = tf.constant(0.0)
    if adversarial_weight:
        loss += adversarial_weight * adversarial(fake_logits)
    if l1_weight:
        loss += l1_weight * l1_reconstruction_loss(target, output)
    return loss
