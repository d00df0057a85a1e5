"""One model for the two-domain translation family: CycleGAN and DiscoGAN.

Two translators, G: A → B (``g_ab``) and F: B → A (``g_ba``), and two
discriminators, D_A on domain A and D_B on domain B, trained on unpaired
batches (a from A, b from B). As in both papers the translators are ONE
player (``generators``, one optimizer over G and F) and the discriminators
the other (``discriminators``). One step:

1. Translate: G(a), F(b), and back: F(G(a)), G(F(b)).
2. Train the generators on
   L_adv(D_B(G(a))) + L_adv(D_A(F(b))) + λ·L_cyc + λ·identity_ratio·L_idt.
3. Train the discriminators on real images against the step-1 fakes, seen
   through each domain's history buffer (``history_size`` > 0).

The method is configuration (``tfgen.builders.two_domain``):

* CycleGAN (Zhu et al. 2017): ``adversarial="least_squares"`` (LSGAN:
  D minimises ½[E(D(y) − 1)² + E D(G(x))²], the paper's objective divided
  by 2 for D as in its Sec. 4; G minimises E(D(G(x)) − 1)², i.e. twice
  ``losses.least_squares_generator_loss``), ``reconstruction="l1"``,
  ``cycle_weight`` λ = 10, ``identity_ratio`` 0.5 as an option (L_idt =
  E‖G(b) − b‖₁ + E‖F(a) − a‖₁, weighed 0.5·λ; needs equal image shapes),
  a history buffer of 50 images per discriminator (Sec. 4, after
  Shrivastava et al. 2017; ``tfgen.layers.HistoryBuffer``).
* DiscoGAN (Kim et al. 2017): ``adversarial="gan"`` (the standard
  cross-entropy GAN loss; the generators minimise −log D(G(x))),
  ``reconstruction="l2"`` (mean squared error; the paper's L_CONST takes
  "a distance such as MSE"), ``cycle_weight`` 1 (the paper adds
  L_GAN + L_CONST unweighted, eq. 5), no identity loss, no history buffer.
  The released DiscoGAN code differs from the paper: it adds a feature
  matching loss on the discriminator's features and ramps the
  reconstruction weight from 0.01 to 0.5; we follow the paper.

Losses are means over the local batch and over pixels (patch maps included);
the reported ``cycle`` and ``identity`` are unweighted.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen.layers.history_buffer import HistoryBuffer
from tfgen.losses import (gan_discriminator_loss, least_squares_discriminator_loss,
                          least_squares_generator_loss, non_saturating_generator_loss)
from tfgen.losses.cycle import DISTANCES, cycle_consistency_loss, identity_loss
from tfgen.models.base import Game


def _ls_generator_loss(fake_out):
    # Zhu et al.: G minimises E(D(G(x)) − 1)², without the ½ of LSGAN's.
    return 2.0 * least_squares_generator_loss(fake_out)


ADVERSARIAL = {
    "least_squares": (least_squares_discriminator_loss, _ls_generator_loss),
    "gan": (gan_discriminator_loss, non_saturating_generator_loss),
}


def _shape(network, output: bool) -> tuple:
    shape = network.output_shape if output else network.input_shape
    shape = shape[0] if isinstance(shape, list) else shape
    return tuple(shape[1:])


@keras.saving.register_keras_serializable(package="tfgen")
class TwoDomainGame(Game):
    """G: A → B, F: B → A, D_A, D_B on unpaired data (see module docstring)."""

    networks = ("g_ab", "g_ba", "d_a", "d_b")
    players = {"generators": ("g_ab", "g_ba"), "discriminators": ("d_a", "d_b")}
    data_kind = "unpaired"
    hparams = {"adversarial": "least_squares", "reconstruction": "l1",
               "cycle_weight": 10.0, "identity_ratio": 0.0, "history_size": 50}
    loss_names = ("g_adv", "cycle", "identity", "d_loss", "d_real", "d_fake")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.adversarial not in ADVERSARIAL:
            raise ValueError(f"unknown adversarial loss {self.adversarial!r}; valid: "
                             f"{', '.join(ADVERSARIAL)}")
        if self.reconstruction not in DISTANCES:
            raise ValueError(f"unknown reconstruction distance {self.reconstruction!r}; "
                             f"valid: {', '.join(DISTANCES)}")
        if self.cycle_weight < 0 or self.identity_ratio < 0:
            raise ValueError(f"cycle_weight and identity_ratio must be >= 0, got "
                             f"{self.cycle_weight}, {self.identity_ratio}")
        if self.history_size < 0:
            raise ValueError(f"history_size must be >= 0 (0: no buffer), got "
                             f"{self.history_size}")
        shape_a, shape_b = _shape(self.g_ab, False), _shape(self.g_ab, True)
        if (_shape(self.g_ba, False), _shape(self.g_ba, True)) != (shape_b, shape_a):
            raise ValueError(f"g_ab maps {shape_a} -> {shape_b} but g_ba maps "
                             f"{_shape(self.g_ba, False)} -> {_shape(self.g_ba, True)}; "
                             "g_ba must map domain B back to domain A")
        for name, shape in (("d_a", shape_a), ("d_b", shape_b)):
            if _shape(getattr(self, name), False) != shape:
                raise ValueError(f"{name} reads {_shape(getattr(self, name), False)} but "
                                 f"its domain's images are {shape}")
        if self.identity_ratio > 0 and shape_a != shape_b:
            raise ValueError(f"identity_ratio={self.identity_ratio} feeds domain-B images "
                             f"to G: A -> B, which needs equal shapes, but A is {shape_a} "
                             f"and B is {shape_b}; set model.identity_ratio=0")
        self._d_loss_fn, self._g_loss_fn = ADVERSARIAL[self.adversarial]
        self.history_a = HistoryBuffer(self.history_size, shape_a, name="history_a")
        self.history_b = HistoryBuffer(self.history_size, shape_b, name="history_b")

    def call(self, images, training=False):
        """G(a): domain-A images translated to domain B."""
        return self.g_ab(images, training=training)

    def generator_losses(self, a, b):
        """(total, adversarial, cycle, identity, G(a), F(b)) on one batch."""
        fake_b = self.g_ab(a, training=True)
        fake_a = self.g_ba(b, training=True)
        cycle = cycle_consistency_loss(a, self.g_ba(fake_b, training=True),
                                       b, self.g_ab(fake_a, training=True),
                                       self.reconstruction)
        adv = (self._g_loss_fn(self.d_b(fake_b, training=True))
               + self._g_loss_fn(self.d_a(fake_a, training=True)))
        idt = tf.constant(0.0)
        if self.identity_ratio > 0:
            idt = identity_loss(a, self.g_ba(a, training=True),
                                b, self.g_ab(b, training=True), self.reconstruction)
        total = adv + self.cycle_weight * (cycle + self.identity_ratio * idt)
        return total, adv, cycle, idt, fake_b, fake_a

    def train_step(self, data):
        a, b = self.batch(data)
        # 1.–2. Translate both ways and train G and F together (one player).
        with tf.GradientTape() as tape:
            total, adv, cycle, idt, fake_b, fake_a = self.generator_losses(a, b)
            scaled = self.scale(total, "generators")
        self.update("generators", tape, scaled)
        # 3. The discriminators see this step's fakes through the history
        #    buffers: half of them, once a buffer is full, are older fakes.
        fake_b = self.history_b.query(fake_b, self.draw_seed(0))
        fake_a = self.history_a.query(fake_a, self.draw_seed(1))
        with tf.GradientTape() as tape:
            real_a, real_b = self.d_a(a, training=True), self.d_b(b, training=True)
            out_a, out_b = self.d_a(fake_a, training=True), self.d_b(fake_b, training=True)
            d_loss = self._d_loss_fn(real_a, out_a) + self._d_loss_fn(real_b, out_b)
            scaled = self.scale(d_loss, "discriminators")
        self.update("discriminators", tape, scaled)
        self.finish_step()
        d_real = 0.5 * (tf.reduce_mean(real_a) + tf.reduce_mean(real_b))
        d_fake = 0.5 * (tf.reduce_mean(out_a) + tf.reduce_mean(out_b))
        return self.track(g_adv=adv, cycle=cycle, identity=idt, d_loss=d_loss,
                          d_real=d_real, d_fake=d_fake)

    def translate(self, images, direction: str = "a_to_b", batch_size: int = 256):
        """Translated images (eager, inference mode), as a NumPy array."""
        import numpy as np

        net = {"a_to_b": self.g_ab, "b_to_a": self.g_ba}[direction]
        return np.concatenate([net(images[i:i + batch_size], training=False).numpy()
                               for i in range(0, len(images), batch_size)])

    def export_parts(self) -> dict:
        from tfgen.export_parts import TranslatePart

        return {"translate_a_to_b": TranslatePart(self.g_ab, "a_to_b"),
                "translate_b_to_a": TranslatePart(self.g_ba, "b_to_a")}
