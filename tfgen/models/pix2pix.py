"""Pix2Pix: a conditional GAN on (input, output) image pairs plus λ·L1.

Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial
Networks" (the GAN tutorial in ``../shared/papers/gan-tutorial_*`` summarises
it): G maps an image a of domain A to G(a) in domain B; D sees pairs and
tells (a, b) from (a, G(a)), both concatenated on channels; G minimises the
adversarial loss on D(a, G(a)) plus λ·E|b − G(a)|, λ = 100.

``objective`` chooses the paper's ablations (its Table 1):

* ``"cgan_l1"`` (default): conditional adversarial loss + λ·L1;
* ``"l1"``: L1 only; D is neither trained nor read (its loss reports 0);
* ``"cgan"``: conditional adversarial loss only.

As the paper, D's loss is halved (``d_loss_weight = 0.5``: "we divide the
objective by 2 while optimizing D, which slows down the rate at which D
learns relative to G"), and D is updated before G on the same G(a) (the
released code's order). ``loss`` picks the adversarial pair of
``tfgen.losses.ADVERSARIAL_LOSSES`` (non-saturating by default, the paper's
choice). G's noise is its dropout (``networks.unet``), at training time only.

``colour_space = "lab"`` (colourisation, grey a → colour b) is the choice of
the authors' released code (its ``colorization`` dataset and model; the
paper does not discuss it): G reads a's Lab lightness L / 50 − 1 and predicts
the chroma ab / 110 of b (2 output channels: set the generator's
``out_channels=2``); D reads (L, ab) (``in_channels=3`` on the PatchGAN);
the L1 term is on ab; the translated image is (the input's exact L, the
predicted ab) converted to RGB (``tfgen.layers.colour_space``), which
:meth:`translator` and the export compute. ``"rgb"`` (default): G maps a to
b's pixels directly.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen.export_parts import TranslatePart
from tfgen.layers import colour_space
from tfgen.losses import ADVERSARIAL_LOSSES, l1_reconstruction_loss
from tfgen.models.base import Game

OBJECTIVES = ("cgan_l1", "l1", "cgan")
COLOUR_SPACES = ("rgb", "lab")


@keras.saving.register_keras_serializable(package="tfgen")
class Pix2Pix(Game):
    """U-Net generator a → b against a conditional (PatchGAN) discriminator."""

    networks = ("generator", "discriminator")
    data_kind = "paired"
    hparams = {"objective": "cgan_l1", "loss": "non_saturating", "l1_weight": 100.0,
               "d_loss_weight": 0.5, "colour_space": "rgb"}
    loss_names = ("d_loss", "g_adv", "l1", "g_loss", "d_real", "d_fake")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.objective not in OBJECTIVES:
            raise ValueError(f"unknown pix2pix objective {self.objective!r}; valid: "
                             f"{', '.join(OBJECTIVES)}")
        if self.loss not in ADVERSARIAL_LOSSES:
            raise ValueError(f"unknown adversarial loss {self.loss!r}; valid: "
                             f"{', '.join(ADVERSARIAL_LOSSES)}")
        if self.l1_weight < 0 or self.d_loss_weight <= 0:
            raise ValueError(f"l1_weight must be >= 0 and d_loss_weight > 0, got "
                             f"{self.l1_weight}, {self.d_loss_weight}")
        if self.colour_space not in COLOUR_SPACES:
            raise ValueError(f"unknown pix2pix colour_space {self.colour_space!r}; valid: "
                             f"{', '.join(COLOUR_SPACES)}")
        if self.colour_space == "lab":
            self._check_lab()
        self._d_loss_fn, self._g_loss_fn = ADVERSARIAL_LOSSES[self.loss]

    def _check_lab(self):
        g_in, g_out = self.generator.input_shape[-1], self.generator.output_shape[-1]
        d_in = self.discriminator.input_shape[-1]
        if (g_in, g_out, d_in) != (1, 2, 3):
            raise ValueError(
                f"pix2pix colour_space='lab' maps a grey a (L) to chroma ab: the "
                f"generator must read 1 channel and write 2 (out_channels=2) and the "
                f"discriminator read 3 (in_channels=3); got {g_in} -> {g_out} and {d_in}")

    @property
    def adversarial(self) -> bool:
        return self.objective != "l1"

    def critic(self, a, b):
        """D's logits on the pairs (a, b), concatenated on channels."""
        return self.discriminator(tf.concat([a, b], axis=-1), training=True)

    def train_step(self, data):
        a, b = self.batch(data)
        if self.colour_space == "lab":  # the released code's (L, ab) pairs
            a, b = colour_space.grey_lightness(a), colour_space.chroma(b)
        zero = tf.constant(0.0)
        d_loss = d_real = d_fake = g_adv = zero
        with tf.GradientTape() as g_tape:
            fake = self.generator(a, training=True)
            # 1. Train D on real pairs against this step's translations (no
            #    gradient to G from D's update).
            if self.adversarial:
                with g_tape.stop_recording():
                    d_loss, d_real, d_fake = self.discriminator_step(
                        a, b, tf.stop_gradient(fake))
            # 2. Train G: fool the updated D and stay near the true b in L1.
            l1 = l1_reconstruction_loss(b, fake)
            g_loss = (self.l1_weight * l1) if self.objective != "cgan" else zero
            if self.adversarial:
                g_adv = self._g_loss_fn(self.critic(a, fake))
                g_loss += g_adv
            scaled = self.scale(g_loss, "generator")
        self.update("generator", g_tape, scaled)
        self.finish_step()
        return self.track(d_loss=d_loss, g_adv=g_adv, l1=l1, g_loss=g_loss,
                          d_real=d_real, d_fake=d_fake)

    def discriminator_step(self, a, b, fake):
        """One D update; returns (D's loss, mean logit on real, on fake)."""
        with tf.GradientTape() as tape:
            real_out = self.critic(a, b)
            fake_out = self.critic(a, fake)
            d_loss = self._d_loss_fn(real_out, fake_out)
            scaled = self.scale(self.d_loss_weight * d_loss, "discriminator")
        self.update("discriminator", tape, scaled)
        return d_loss, tf.reduce_mean(real_out), tf.reduce_mean(fake_out)

    def translator(self) -> keras.Model:
        """The model images of A → images of B: the generator itself, or in
        Lab mode a → L → generator → (L, ab) → RGB (sharing its weights)."""
        if self.colour_space == "rgb":
            return self.generator
        grey = keras.Input(self.generator.input_shape[1:], name="images")
        lightness = colour_space.LabLightness()(grey)
        rgb = colour_space.LabRecombine()([lightness, self.generator(lightness)])
        return keras.Model(grey, rgb, name="lab_translator")

    def export_parts(self) -> dict:
        return {"translate_a_to_b": TranslatePart(self.translator(), "a_to_b")}
