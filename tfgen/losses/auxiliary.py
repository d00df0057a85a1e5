"""AC-GAN's auxiliary classifier losses, as pure functions.

Odena et al. 2017, "Conditional Image Synthesis with Auxiliary Classifier
GANs", eqs. 2-3: with L_S = E[log P(S = real | X_real)] + E[log P(S = fake |
X_fake)] and L_C = E[log P(C = c | X_real)] + E[log P(C = c | X_fake)], D
maximises L_S + L_C and G maximises L_C − L_S. The L_S half is the
configurable adversarial loss (``tfgen.losses.ADVERSARIAL_LOSSES``); these
are the L_C halves, written as losses to minimise (−L_C, cross-entropies),
in the argument order of TF-GAN's ``acgan_*_loss`` functions. Means over the
local batch; no distribution scaling.
"""

from __future__ import annotations

import tensorflow as tf


def _cross_entropy(logits, one_hot_labels) -> tf.Tensor:
    logits = tf.cast(logits, tf.float32)
    labels = tf.cast(one_hot_labels, tf.float32)
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels, logits))


def acgan_discriminator_loss(gen_class_logits, real_class_logits,
                             one_hot_labels) -> tf.Tensor:
    """−L_C for the discriminator: class cross-entropy on real and generated data.

    Args:
      gen_class_logits: D's class logits [B, K] on G(z, c).
      real_class_logits: D's class logits [B, K] on real images of classes c.
      one_hot_labels: [B, K], the classes c: the real images' labels, which
        are also the classes the generator was asked for.

    Returns:
      Scalar: mean CE(real) + mean CE(generated).
    """
    return (_cross_entropy(real_class_logits, one_hot_labels)
            + _cross_entropy(gen_class_logits, one_hot_labels))


def acgan_generator_loss(gen_class_logits, one_hot_labels) -> tf.Tensor:
    """−L_C for the generator: class cross-entropy of its samples.

    Args:
      gen_class_logits: D's class logits [B, K] on G(z, c).
      one_hot_labels: [B, K], the classes c the generator was asked for.

    Returns:
      Scalar mean cross-entropy.
    """
    return _cross_entropy(gen_class_logits, one_hot_labels)
