"""Class-conditional GANs: cGAN and AC-GAN.

Both train on ``labelled`` batches (x, y) and ask the generator for the
batch's own labels: G(z, y) makes one fake per real example, of the same
class, so fakes follow the data's class frequencies (as TF-GAN's
conditional and AC-GAN examples do). The adversarial loss is configurable
(``loss``, a key of ``tfgen.losses.ADVERSARIAL_LOSSES``), as the GAN
tutorial (``../shared/papers/gan-tutorial_*``) allows for both.

* :class:`ConditionalGAN` (Mirza & Osindero 2014, eq. 2): D(x | y) and
  G(z | y); how y enters D (channels, a feature map, or Miyato & Koyama's
  projection) is the discriminator network's ``condition`` field.
* :class:`ACGAN` (Odena et al. 2017, eqs. 2-3): D(x) gives the real/fake
  logit and class logits; D minimises the adversarial loss plus
  ``aux_weight`` × ``acgan_discriminator_loss`` (maximises L_S + L_C), G the
  adversarial generator loss plus ``aux_weight`` × ``acgan_generator_loss``
  (maximises L_C − L_S; with the non-saturating loss, −L_S becomes
  −log D(G(z)) as in the tutorial).

Both export a ``conditional_sample`` part: (latents, labels) → images.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgen.losses import ADVERSARIAL_LOSSES, acgan_discriminator_loss, acgan_generator_loss
from tfgen.models.latent import LatentGame


@keras.saving.register_keras_serializable(package="tfgen")
class ConditionalGame(LatentGame):
    """What cGAN and AC-GAN share: labels in, labels checked, conditional export."""

    networks = ("generator", "discriminator")
    data_kind = "labelled"
    hparams = dict(LatentGame.hparams, loss="non_saturating", num_classes=0)
    loss_names = ("d_loss", "g_loss", "d_real", "d_fake")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.loss not in ADVERSARIAL_LOSSES:
            raise ValueError(f"unknown adversarial loss {self.loss!r}; valid: "
                             f"{', '.join(ADVERSARIAL_LOSSES)}")
        if self.num_classes < 2:
            raise ValueError(f"{type(self).__name__} needs labelled data with at least "
                             f"2 classes; got num_classes={self.num_classes}")
        self._d_loss_fn, self._g_loss_fn = ADVERSARIAL_LOSSES[self.loss]

    def labels(self, y) -> tf.Tensor:
        """``y`` as int32 class ids, checked to lie in [0, num_classes)."""
        y = tf.cast(tf.reshape(y, [-1]), tf.int32)
        k = self.num_classes
        checks = [tf.debugging.assert_non_negative(y, message="labels must be >= 0"),
                  tf.debugging.assert_less(y, k, message=f"labels must be below {k}")]
        with tf.control_dependencies(checks):
            return tf.identity(y)

    def call(self, inputs, training=False):
        latents, labels = inputs
        return self.generator([latents, labels], training=training)

    def generate(self, labels, seed: int = 0) -> tf.Tensor:
        """Samples of the averaged generator for ``labels`` (eager), latents [seed, 0]."""
        labels = np.asarray(labels, np.int32).reshape([-1])
        if labels.size and not 0 <= labels.min() <= labels.max() < self.num_classes:
            raise ValueError(f"labels must run from 0 to {self.num_classes - 1}")
        z = self.latent_prior().sample(len(labels), tf.constant([seed, 0], tf.int32))
        return self.averaged("generator")([z, tf.constant(labels)], training=False)

    def export_parts(self) -> dict:
        from tfgen import export_parts

        return {"conditional_sample": export_parts.ConditionalSamplePart(
            self.averaged("generator"), self.num_classes, prior=self.latent_prior(),
            label_input=True)}

    def train_step(self, data):
        x, y = self.batch(data)
        y = self.labels(y)
        # One latent per real example, the fake asked for the real one's class.
        z_d = self.sample_latents(tf.shape(x)[0], stream=0)
        z_g = self.sample_latents(tf.shape(x)[0], stream=1)
        # 1. Train the discriminator on (real, y) against (G(z, y), y).
        fake = self.generator([z_d, y], training=True)
        with tf.GradientTape() as tape:
            d_loss, d_real, d_fake = self.discriminator_loss(x, fake, y)
            scaled = self.scale(d_loss, "discriminator")
        self.update("discriminator", tape, scaled)
        # 2. Train the generator on fresh latents, the same classes.
        with tf.GradientTape() as tape:
            g_loss = self.generator_loss(self.generator([z_g, y], training=True), y)
            scaled = self.scale(g_loss, "generator")
        self.update("generator", tape, scaled)
        self.finish_step()
        return self.track(d_loss=d_loss, g_loss=g_loss, d_real=d_real, d_fake=d_fake,
                          **self.extra_scalars())

    def extra_scalars(self) -> dict:
        return {}


@keras.saving.register_keras_serializable(package="tfgen")
class ConditionalGAN(ConditionalGame):
    """cGAN: D(x, y) and G(z, y), Mirza & Osindero 2014."""

    def discriminator_loss(self, real, fake, y):
        real_out = self.discriminator([real, y], training=True)
        fake_out = self.discriminator([fake, y], training=True)
        return (self._d_loss_fn(real_out, fake_out), tf.reduce_mean(real_out),
                tf.reduce_mean(fake_out))

    def generator_loss(self, fake, y):
        return self._g_loss_fn(self.discriminator([fake, y], training=True))


@keras.saving.register_keras_serializable(package="tfgen")
class ACGAN(ConditionalGame):
    """AC-GAN: D(x) → (real/fake logit, class logits), Odena et al. 2017.

    Hyper-parameter ``aux_weight``: the weight of L_C in both players'
    objectives (1 in the paper).
    """

    hparams = dict(ConditionalGame.hparams, aux_weight=1.0)
    loss_names = ConditionalGame.loss_names + ("d_class", "g_class", "real_accuracy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.aux_weight < 0:
            raise ValueError(f"aux_weight must be >= 0, got {self.aux_weight}")
        self._scalars = {}

    def discriminator_loss(self, real, fake, y):
        real_s, real_c = self.discriminator(real, training=True)
        fake_s, fake_c = self.discriminator(fake, training=True)
        one_hot = tf.one_hot(y, self.num_classes)
        d_class = acgan_discriminator_loss(fake_c, real_c, one_hot)
        self._scalars["d_class"] = d_class
        self._scalars["real_accuracy"] = tf.reduce_mean(tf.cast(
            tf.equal(tf.argmax(real_c, -1, output_type=tf.int32), y), tf.float32))
        loss = self._d_loss_fn(real_s, fake_s) + self.aux_weight * d_class
        return loss, tf.reduce_mean(real_s), tf.reduce_mean(fake_s)

    def generator_loss(self, fake, y):
        score, logits = self.discriminator(fake, training=True)
        g_class = acgan_generator_loss(logits, tf.one_hot(y, self.num_classes))
        self._scalars["g_class"] = g_class
        return self._g_loss_fn(score) + self.aux_weight * g_class

    def extra_scalars(self) -> dict:
        return dict(self._scalars)
