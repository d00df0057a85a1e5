"""The Duplex GAN (DupGAN) for unsupervised domain adaptation.

Hu, Kan, Shan & Chen 2018, "Duplex Generative Adversarial Network for
Unsupervised Domain Adaptation" (CVPR), and the GAN tutorial's DupGAN
section. An encoder E maps images of either domain to features z; a
classifier C labels z; a generator G decodes z with a domain code a ∈
{s, t} into an image of domain a; two discriminators D_s, D_t with K + 1
outputs (K classes, one "fake") tell real images of their domain, by
class, from translations into it. Pseudo-labels ỹ_t = argmax C(E(x_t)) of
target images enter only where the classifier is confident
(max softmax ≥ ``confidence``). Losses (``tfgen.losses.dupgan``):

* D_s, D_t:  L_D = CE(D_s(x_s), y_s) + CE(D_s(G(z_t, s)), fake)
                 + CE_conf(D_t(x_t), ỹ_t) + CE(D_t(G(z_s, t)), fake);
* G:         L_G = CE_conf(D_s(G(z_t, s)), ỹ_t) + CE(D_t(G(z_s, t)), y_s)
                 + β·(|G(z_s, s) − x_s|₁ + |G(z_t, t) − x_t|₁);
* E and C:   L_E = CE(C(z_s), y_s) + γ·CE_conf(C(z_t), ỹ_t) + α·L_G.

So a target image's features must decode into a source image of its
(pseudo-)class that D_s accepts as real, and a source image's into a
target image of its class that D_t accepts: the features keep the class
and lose the domain. Updates alternate as in GAN training: first the
discriminators on fixed translations, then G and (E, C) against the
updated discriminators, from one forward pass.

Defaults (``hparams``): where we could not check a value against the
paper offline we chose one and say so in docs/benchmarks/domain_adaptation.md:
α = ``adv_weight`` = 1, β = ``rec_weight`` = 1 (L1 per pixel on [-1, 1]
images), γ = ``target_weight`` = 1, ``confidence`` = 0.9, and a
``pretrain`` stage of ``pretrain_examples`` source examples in which E, C
learn the source labels and G learns to reconstruct both domains (so the
first pseudo-labels come from a source-trained classifier; our schedule,
not checked against the paper's), before the ``adapt`` stage plays the
game above. ``encoder_sgd`` (off by default) trains E and C as DANN trains its
features and label predictor (SGD, momentum 0.9, μ_p = e_lr/(1 + 10·p)^0.75
over the run; tfgen/builders/domain.py) instead of the shared optimizer.
``pseudo_label_rule = "class_balanced"`` (off by default; measured in the
benchmark document) replaces the confidence threshold by class-balanced
selection (Zou et al. 2018): each class keeps the most confident
``selection_fraction()`` of the target examples predicted as it, a share
growing from ``balanced_start`` to ``balanced_end`` over the adapt stage.

Data: the ``semi_supervised`` kind ((x_s, y_s), x_t); target labels never
enter a batch (tests/test_dupgan.py). Export: ``classify`` (C ∘ E, the
adapted classifier) and two ``translate`` parts, ``source_to_target`` and
``target_to_source`` (G(E(x), a)).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgen import distribute
from tfgen.losses import dupgan as dl
from tfgen.models import batch as batch_lib
from tfgen.models.base import Game
from tfgen.networks.dupgan import SOURCE, TARGET, append_code, translator

RULES = ("threshold", "class_balanced")


@keras.saving.register_keras_serializable(package="tfgen")
class DupGAN(Game):
    """Encoder, classifier, generator, two (K+1)-way discriminators."""

    networks = ("encoder", "classifier", "generator", "disc_source", "disc_target")
    players = {"encoder": ("encoder", "classifier"), "generator": ("generator",),
               "discriminator": ("disc_source", "disc_target")}
    data_kind = "semi_supervised"
    hparams = dict(latent_dim=768, num_classes=10, adv_weight=1.0, rec_weight=1.0,
                   target_weight=1.0, confidence=0.9, pretrain_examples=10_000,
                   encoder_sgd=False, pseudo_label_rule="threshold", balanced_start=0.2,
                   balanced_end=0.5, schedule_examples=0)
    stages = (("pretrain", "pretrain_examples"), ("adapt", None))
    loss_names = ("cls_loss", "d_loss", "g_adv_loss", "rec_loss", "source_accuracy",
                  "confident_fraction")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")
        if self.pseudo_label_rule not in RULES:
            raise ValueError(f"pseudo_label_rule must be one of {', '.join(RULES)}, "
                             f"got {self.pseudo_label_rule!r}")
        if not 0.0 <= self.balanced_start <= self.balanced_end <= 1.0:
            raise ValueError("need 0 <= balanced_start <= balanced_end <= 1, got "
                             f"{self.balanced_start}, {self.balanced_end}")
        if min(self.adv_weight, self.rec_weight, self.target_weight) < 0 \
                or min(self.pretrain_examples, self.schedule_examples) < 0:
            raise ValueError("adv_weight, rec_weight, target_weight, pretrain_examples "
                             "and schedule_examples must be >= 0")
        width = int(self.encoder.output_shape[-1])
        if width != self.latent_dim:
            raise ValueError(f"the encoder outputs {width} features but latent_dim "
                             f"is {self.latent_dim}")
        for net, out in (("classifier", self.num_classes),
                         ("disc_source", self.num_classes + 1),
                         ("disc_target", self.num_classes + 1)):
            got = int(getattr(self, net).output_shape[-1])
            if got != out:
                raise ValueError(f"the {net} outputs {got} logits but needs {out} "
                                 f"(num_classes = {self.num_classes})")

    # --------------------------------------------------------- pieces --
    def classify(self, images, training=False):
        return self.classifier(self.encoder(images, training=training), training=training)

    def generate(self, features, domain: int, training=False):
        """G(z, a): images of domain ``domain`` (SOURCE or TARGET) from z."""
        return self.generator(append_code(features, domain), training=training)

    def selection_fraction(self) -> tf.Tensor:
        """The class-balanced rule's share of each class to keep: from
        ``balanced_start`` when the adapt stage begins, linearly to
        ``balanced_end`` at ``schedule_examples`` (the run's examples; set by
        the builder), as the portion grows round by round in Zou et al. 2018."""
        span = float(self.schedule_examples - self.pretrain_examples)
        if span <= 0:
            return tf.constant(self.balanced_end, tf.float32)
        done = tf.cast(self.examples_seen, tf.float32) - float(self.pretrain_examples)
        a = tf.clip_by_value(done / span, 0.0, 1.0)
        return self.balanced_start + (self.balanced_end - self.balanced_start) * a

    def pseudo_labels(self, logits):
        """(ỹ_t, mask) by ``pseudo_label_rule``: "threshold" (the default; max
        softmax ≥ ``confidence``) or "class_balanced" (each class's most
        confident ``selection_fraction()``; ``confidence`` unused)."""
        if self.pseudo_label_rule == "class_balanced":
            # Ranked over the global batch, so 2 replicas select as 1 device.
            labels, mask = dl.class_balanced_pseudo_labels(
                distribute.gather_global(logits), self.selection_fraction())
            return distribute.local_slice(labels), distribute.local_slice(mask)
        return dl.pseudo_labels(logits, self.confidence)

    def _translations(self, z_s, z_t):
        """G on [z_t→s, z_s→t, z_s→s, z_t→t] in one call."""
        codes = [append_code(z_t, SOURCE), append_code(z_s, TARGET),
                 append_code(z_s, SOURCE), append_code(z_t, TARGET)]
        out = self.generator(tf.concat(codes, 0), training=True)
        return tf.split(out, [tf.shape(z_t)[0], tf.shape(z_s)[0],
                              tf.shape(z_s)[0], tf.shape(z_t)[0]], 0)

    # ----------------------------------------------------------- step --
    def train_step(self, data):
        (x_s, y_s), x_t = self.batch(data)
        y_s = batch_lib.checked_labels(y_s, self.num_classes)
        if self.stage == "pretrain":
            logs = self._pretrain_step(x_s, y_s, x_t)
        else:
            logs = self._adapt_step(x_s, y_s, x_t)
        self.finish_step(examples=tf.shape(x_s)[0])
        return self.track(**logs)

    def _accuracy(self, logits, y):
        return tf.reduce_mean(tf.cast(
            tf.equal(tf.argmax(logits, -1, output_type=tf.int32), y), tf.float32))

    def _pretrain_step(self, x_s, y_s, x_t):
        # E, C on the source labels; G reconstructs both domains from fixed
        # features (so translations start from a working decoder).
        with tf.GradientTape(persistent=True) as tape:
            z_s = self.encoder(x_s, training=True)
            z_t = self.encoder(x_t, training=True)
            logits = self.classifier(z_s, training=True)
            cls = dl.class_loss(logits, y_s)
            rec = (dl.reconstruction_loss(
                       x_s, self.generate(tf.stop_gradient(z_s), SOURCE, training=True))
                   + dl.reconstruction_loss(
                       x_t, self.generate(tf.stop_gradient(z_t), TARGET, training=True)))
            e_scaled = self.scale(cls, "encoder")
            g_scaled = self.scale(rec, "generator")
        self.update("encoder", tape, e_scaled)
        self.update("generator", tape, g_scaled)
        del tape
        zero = tf.constant(0.0)
        return dict(cls_loss=cls, d_loss=zero, g_adv_loss=zero, rec_loss=rec,
                    source_accuracy=self._accuracy(logits, y_s), confident_fraction=zero)

    def _adapt_step(self, x_s, y_s, x_t):
        # 1. The discriminators, on translations of the current E and G.
        z_s = self.encoder(x_s, training=True)
        z_t = self.encoder(x_t, training=True)
        y_t, mask = self.pseudo_labels(self.classifier(z_t, training=True))
        t2s, s2t, _, _ = self._translations(z_s, z_t)
        t2s, s2t = tf.stop_gradient(t2s), tf.stop_gradient(s2t)
        with tf.GradientTape() as tape:
            d_loss = dl.discriminator_loss(
                self.disc_source(x_s, training=True), y_s,
                self.disc_source(t2s, training=True),
                self.disc_target(x_t, training=True), y_t, mask,
                self.disc_target(s2t, training=True))
            scaled = self.scale(d_loss, "discriminator")
        self.update("discriminator", tape, scaled)
        # 2. G and (E, C) against the updated discriminators.
        with tf.GradientTape(persistent=True) as tape:
            z_s = self.encoder(x_s, training=True)
            z_t = self.encoder(x_t, training=True)
            logits_s = self.classifier(z_s, training=True)
            logits_t = self.classifier(z_t, training=True)
            t2s, s2t, rec_s, rec_t = self._translations(z_s, z_t)
            adv = dl.generator_adversarial_loss(
                self.disc_source(t2s, training=True), y_t, mask,
                self.disc_target(s2t, training=True), y_s)
            rec = dl.reconstruction_loss(x_s, rec_s) + dl.reconstruction_loss(x_t, rec_t)
            g_loss = adv + self.rec_weight * rec
            cls = (dl.class_loss(logits_s, y_s)
                   + self.target_weight * dl.class_loss(logits_t, y_t, mask))
            e_loss = cls + self.adv_weight * g_loss
            g_scaled = self.scale(g_loss, "generator")
            e_scaled = self.scale(e_loss, "encoder")
        self.update("generator", tape, g_scaled)
        self.update("encoder", tape, e_scaled)
        del tape
        return dict(cls_loss=cls, d_loss=d_loss, g_adv_loss=adv, rec_loss=rec,
                    source_accuracy=self._accuracy(logits_s, y_s),
                    confident_fraction=tf.reduce_mean(mask))

    # --------------------------------------------------------- export --
    def classifier_model(self) -> keras.Model:
        """Images → K logits: C ∘ E as one functional model."""
        e = self.encoder
        return keras.Model(e.inputs, self.classifier(e.outputs[0]), name="adapted_classifier")

    def predict_classes(self, images, batch_size: int = 1000):
        out = [np.argmax(self.classify(images[i:i + batch_size]), -1)
               for i in range(0, len(images), batch_size)]
        return np.concatenate(out)

    def translate(self, images, domain: int, batch_size: int = 500) -> np.ndarray:
        """G(E(x), domain) for a numpy batch of images."""
        return np.concatenate([
            self.generate(self.encoder(images[i:i + batch_size]), domain).numpy()
            for i in range(0, len(images), batch_size)])

    def export_parts(self) -> dict:
        from tfgen import export_parts

        return {
            "classify": export_parts.ClassifyPart(self.classifier_model(), self.num_classes),
            "source_to_target": export_parts.TranslatePart(
                translator(self.encoder, self.generator, TARGET, "source_to_target"),
                "source_to_target"),
            "target_to_source": export_parts.TranslatePart(
                translator(self.encoder, self.generator, SOURCE, "target_to_source"),
                "target_to_source"),
        }
