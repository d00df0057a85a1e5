"""Domain-adversarial training (DANN) and its source-only baseline.

Ganin et al. 2016, "Domain-Adversarial Training of Neural Networks" (JMLR
17), and the GAN tutorial's DANN section. Features f = G_f(x) feed a label
predictor G_y (trained on labelled SOURCE examples only) and a domain
classifier G_d (source vs unlabelled TARGET). The game is

    min over (G_f, G_y)  max over G_d   E = L_y − λ·L_d,

so the features become good for the labels and useless for telling the
domains apart. Two ways to play it (``domain_update``):

* ``"reversal"`` (the paper's, Sec. 5.1): one step of plain
  back-propagation through a gradient reversal layer between G_f and G_d
  (``tfgen.layers.GradientReversal``): G_d descends L_d while G_f receives
  −λ·∂L_d, i.e. ascends λ·L_d. Both players step from the same point.
* ``"alternating"`` (the tutorial's minimax as GANs train it): first G_d
  descends L_d on fixed features, then (G_f, G_y) descend L_y − λ·L_d
  against the updated G_d.

Schedules (paper, Sec. 5.2.2), over training progress p = step /
``schedule_steps``: λ_p = 2/(1 + exp(−γ·p)) − 1 with γ = ``lambda_gamma``
(``lambda_schedule=False`` holds λ = ``domain_weight``; otherwise λ_p is
multiplied by it), and the learning rate μ_p = μ₀/(1 + α·p)^β with α = 10,
β = 0.75, SGD momentum 0.9 (built by ``tfgen.builders.domain``).
``adaptation=False`` is the source-only baseline: the same networks and
steps with λ = 0, so the features never see the domain loss (the domain
classifier still trains on them, as a probe of how separable they are).

Data: the ``semi_supervised`` kind, ((x_s, y_s), x_t): each step reads a
source half and a target half of equal size. Target labels are never in
the batch, so no loss can read them (tests/test_dann.py).

Export: a ``classify`` part, G_y(G_f(x)) → K logits.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen.layers.gradient_reversal import dann_lambda, reverse_gradient
from tfgen.losses import domain as dl
from tfgen.models import batch as batch_lib
from tfgen.models.base import Game

UPDATES = ("reversal", "alternating")


@keras.saving.register_keras_serializable(package="tfgen")
class DANN(Game):
    """Feature extractor, label predictor, domain classifier (module docstring).

    Hyper-parameters: ``latent_dim`` (feature width), ``num_classes`` (from
    the data), ``adaptation``, ``domain_update``, ``domain_weight``,
    ``lambda_schedule``, ``lambda_gamma``, ``schedule_steps`` (the length of
    training that p runs over; 0: ``train.steps``, set by the builder),
    and the optimizer's ``momentum``, ``lr_anneal``, ``lr_alpha``, ``lr_beta``.
    """

    networks = ("features", "classifier", "domain_classifier")
    players = {"predictor": ("features", "classifier"),
               "domain": ("domain_classifier",)}
    data_kind = "semi_supervised"
    hparams = dict(latent_dim=768, num_classes=10, adaptation=True, domain_update="reversal",
                   domain_weight=1.0, lambda_schedule=True, lambda_gamma=10.0,
                   schedule_steps=0, momentum=0.9, lr_anneal=True, lr_alpha=10.0,
                   lr_beta=0.75)
    loss_names = ("label_loss", "domain_loss", "lambda", "source_accuracy",
                  "domain_accuracy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.domain_update not in UPDATES:
            raise ValueError(f"domain_update must be one of {', '.join(UPDATES)}, "
                             f"got {self.domain_update!r}")
        if self.domain_weight < 0 or self.schedule_steps < 0:
            raise ValueError("domain_weight and schedule_steps must be >= 0")
        width = int(self.features.output_shape[-1])
        if width != self.latent_dim:
            raise ValueError(f"the feature extractor outputs {width} features but "
                             f"latent_dim is {self.latent_dim}")
        if int(self.classifier.output_shape[-1]) != self.num_classes:
            raise ValueError(f"the label predictor outputs "
                             f"{self.classifier.output_shape[-1]} logits but the data "
                             f"has {self.num_classes} classes")

    def progress(self) -> tf.Tensor:
        """p in [0, 1]: steps taken over ``schedule_steps`` (0 steps: p = 0)."""
        if self.schedule_steps <= 0:
            return tf.constant(0.0)
        p = tf.cast(self.step_counter, tf.float32) / float(self.schedule_steps)
        return tf.minimum(p, 1.0)

    def current_lambda(self) -> tf.Tensor:
        """λ for this step: 0 without adaptation, else the schedule × weight."""
        if not self.adaptation:
            return tf.constant(0.0)
        lam = tf.constant(self.domain_weight, tf.float32)
        if self.lambda_schedule:
            lam = lam * dann_lambda(self.progress(), self.lambda_gamma)
        return lam

    def classify(self, images, training=False):
        return self.classifier(self.features(images, training=training), training=training)

    def checked_labels(self, labels):
        """Labels as int32, asserted in 0..K−1 (``models.batch.checked_labels``)."""
        return batch_lib.checked_labels(labels, self.num_classes)

    def train_step(self, data):
        (x_s, y_s), x_t = self.batch(data)
        y_s = self.checked_labels(y_s)
        lam = self.current_lambda()
        if self.domain_update == "reversal":
            logits, d_s, d_t, label, domain = self._reversal_step(x_s, y_s, x_t, lam)
        else:
            logits, d_s, d_t, label, domain = self._alternating_step(x_s, y_s, x_t, lam)
        self.finish_step()
        accuracy = tf.reduce_mean(tf.cast(
            tf.equal(tf.argmax(logits, -1, output_type=tf.int32), y_s), tf.float32))
        return self.track(label_loss=label, domain_loss=domain, **{"lambda": lam},
                          source_accuracy=accuracy,
                          domain_accuracy=dl.domain_accuracy(d_s, d_t))

    def _reversal_step(self, x_s, y_s, x_t, lam):
        # One backward pass: the reversal layer hands G_f −λ·∂L_d while G_d
        # gets +∂L_d, so both players step from the same point (Sec. 5.1).
        with tf.GradientTape(persistent=True) as tape:
            f_s = self.features(x_s, training=True)
            f_t = self.features(x_t, training=True)
            logits = self.classifier(f_s, training=True)
            d_s = self.domain_classifier(reverse_gradient(f_s, lam), training=True)
            d_t = self.domain_classifier(reverse_gradient(f_t, lam), training=True)
            label = dl.label_loss(logits, y_s)
            domain = dl.domain_classifier_loss(d_s, d_t)
            total = self.scale(label + domain, "predictor")
            scaled_domain = self.scale(domain, "domain")
        self.update("predictor", tape, total)
        self.update("domain", tape, scaled_domain)
        del tape
        return logits, d_s, d_t, label, domain

    def _alternating_step(self, x_s, y_s, x_t, lam):
        # 1. The domain classifier descends L_d on fixed features.
        f_s = self.features(x_s, training=True)
        f_t = self.features(x_t, training=True)
        with tf.GradientTape() as tape:
            domain_before = dl.domain_classifier_loss(
                self.domain_classifier(tf.stop_gradient(f_s), training=True),
                self.domain_classifier(tf.stop_gradient(f_t), training=True))
            scaled = self.scale(domain_before, "domain")
        self.update("domain", tape, scaled)
        # 2. Features and label predictor descend E = L_y − λ·L_d against it.
        with tf.GradientTape() as tape:
            f_s = self.features(x_s, training=True)
            f_t = self.features(x_t, training=True)
            logits = self.classifier(f_s, training=True)
            d_s = self.domain_classifier(f_s, training=True)
            d_t = self.domain_classifier(f_t, training=True)
            label = dl.label_loss(logits, y_s)
            domain = dl.domain_classifier_loss(d_s, d_t)
            scaled = self.scale(dl.dann_objective(label, domain, lam), "predictor")
        self.update("predictor", tape, scaled)
        return logits, d_s, d_t, label, domain_before

    def classifier_model(self) -> keras.Model:
        """Images → K logits: G_y ∘ G_f as one functional model."""
        f = self.features
        return keras.Model(f.inputs, self.classifier(f.outputs[0]), name="adapted_classifier")

    def predict_classes(self, images, batch_size: int = 1000):
        import numpy as np

        out = [np.argmax(self.classify(images[i:i + batch_size]), -1)
               for i in range(0, len(images), batch_size)]
        return np.concatenate(out)

    def export_parts(self) -> dict:
        from tfgen import export_parts

        return {"classify": export_parts.ClassifyPart(self.classifier_model(),
                                                      self.num_classes)}
