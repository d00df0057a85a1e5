"""The semi-supervised GAN: the discriminator is a K-class classifier.

Salimans et al. 2016, "Improved Techniques for Training GANs", Sec. 5 (the
GAN tutorial's semi-supervised learning section; Odena 2016 and Springenberg
2016 describe the same idea). D outputs K class logits; generated examples
are the (K + 1)-th class, whose logit is fixed at 0, so D(x) = Z / (Z + 1)
with Z = Σ_k exp l_k(x) (``tfgen.losses.semi_supervised``). D minimises

    L = L_supervised + w · L_unsupervised,

L_supervised on the labelled batch only — the ``semi_supervised`` data
kind's ((x_l, y_l), x_u) elements, whose labelled stream holds only the
class-balanced subset of ``data.labelled_examples`` chosen from the seed —
and L_unsupervised on the unlabelled batch and generated examples. The
generator matches D's last hidden features (feature matching, the paper's
choice for classification), maximises log D(G(z)), or both (the GAN
tutorial's implementation): ``generator_loss``.

Feature matching under several replicas compares the *global* batch means
(all-reduced), so 2 replicas train exactly as one device.

Export: a ``sample`` part (the generator) and a ``classify`` part (D's K
logits), which ``tools/evaluate.py`` scores as test accuracy.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.losses import semi_supervised as ssl
from tfgen.models import batch as batch_lib
from tfgen.models.latent import LatentGame


GENERATOR_LOSSES = ("feature_matching", "non_saturating", "both")


def _global_mean(features: tf.Tensor) -> tf.Tensor:
    """[1, F]: the mean over every replica's examples (differentiable)."""
    total = distribute.all_reduce_sum(tf.reduce_sum(features, axis=0, keepdims=True))
    count = distribute.all_reduce_sum(tf.cast(tf.shape(features)[0], features.dtype))
    return total / count


@keras.saving.register_keras_serializable(package="tfgen")
class SemiSupervisedGAN(LatentGame):
    """K-logit discriminator/classifier and a generator (module docstring).

    Hyper-parameters: ``num_classes`` (from the data), ``unsupervised_weight``
    (w, 1 in the paper), ``generator_loss``: ``feature_matching`` (Salimans
    et al.), ``non_saturating`` (−log D(G(z))) or ``both`` (their sum, as the
    GAN tutorial's implementation).
    """

    networks = ("generator", "discriminator")
    data_kind = "semi_supervised"
    hparams = dict(LatentGame.hparams, latent_dim=100, num_classes=10,
                   unsupervised_weight=1.0, generator_loss="feature_matching")
    loss_names = ("d_loss", "supervised", "unsupervised", "g_loss", "labelled_accuracy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outs = self.discriminator.outputs
        width = int(outs[0].shape[-1]) if len(outs) == 2 else -1
        if width != self.num_classes:
            raise ValueError(f"the semi-supervised discriminator must output [{self.num_classes} "
                             "class logits, features] for this data; use ssgan_discriminator")
        if self.generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"unknown generator_loss {self.generator_loss!r}; valid: "
                             f"{', '.join(GENERATOR_LOSSES)}")
        if self.unsupervised_weight < 0:
            raise ValueError(f"unsupervised_weight must be >= 0, got {self.unsupervised_weight}")

    def classify(self, images, training=False):
        return self.discriminator(images, training=training)[0]

    def checked_labels(self, labels):
        """Labels as int32, asserted in 0..K−1 (``models.batch.checked_labels``)."""
        return batch_lib.checked_labels(labels, self.num_classes)

    def train_step(self, data):
        (x_l, y_l), x_u = self.batch(data)
        y_l = self.checked_labels(y_l)
        batch = tf.shape(x_u)[0]
        # 1. Train D: classify the labelled batch (its labels are the only
        #    labels this step sees) and tell unlabelled data from G's output.
        z = self.sample_latents(batch, stream=0)
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            labelled_logits = self.classify(x_l, training=True)
            real_logits = self.classify(x_u, training=True)
            fake_logits = self.classify(fake, training=True)
            supervised = ssl.semi_supervised_classifier_loss(labelled_logits, y_l)
            unsupervised = ssl.semi_supervised_discriminator_loss(real_logits, fake_logits)
            d_loss = supervised + self.unsupervised_weight * unsupervised
            scaled = self.scale(d_loss, "discriminator")
        self.update("discriminator", tape, scaled)
        # 2. Train G on fresh latents.
        z = self.sample_latents(batch, stream=1)
        with tf.GradientTape() as tape:
            gen_logits, gen_features = self.discriminator(self.generator(z, training=True),
                                                          training=True)
            g_loss = tf.constant(0.0)
            if self.generator_loss != "non_saturating":
                real_features = tf.stop_gradient(
                    self.discriminator(x_u, training=True)[1])
                g_loss += ssl.feature_matching_loss(_global_mean(real_features),
                                                    _global_mean(gen_features))
            if self.generator_loss != "feature_matching":
                g_loss += ssl.semi_supervised_generator_loss(gen_logits)
            scaled = self.scale(g_loss, "generator")
        self.update("generator", tape, scaled)
        self.finish_step()
        accuracy = tf.reduce_mean(tf.cast(
            tf.equal(tf.argmax(labelled_logits, -1, output_type=tf.int32), y_l), tf.float32))
        return self.track(d_loss=d_loss, supervised=supervised, unsupervised=unsupervised,
                          g_loss=g_loss, labelled_accuracy=accuracy)

    def classifier(self) -> keras.Model:
        """Images → K logits: the discriminator's classification output."""
        d = self.discriminator
        return keras.Model(d.inputs, d.outputs[0], name="classifier")

    def predict_classes(self, images, batch_size: int = 1000):
        import numpy as np

        out = [np.argmax(self.classify(images[i:i + batch_size]), -1)
               for i in range(0, len(images), batch_size)]
        return np.concatenate(out)

    def export_parts(self) -> dict:
        from tfgen import export_parts

        parts = super().export_parts()
        parts["classify"] = export_parts.ClassifyPart(self.classifier(), self.num_classes)
        return parts
