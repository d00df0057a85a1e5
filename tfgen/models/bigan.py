"""BiGAN / ALI: an encoder, a generator and a joint discriminator D(x, z).

The discriminator tells pairs (x, E(x)) of data and their codes from pairs
(G(z), z) of generated examples and their latents; the generator and the
encoder are one player with one optimizer (Donahue et al. 2017, eq. 3;
Dumoulin et al. 2017, Algorithm 1) and play the game with the labels
swapped (non-saturating: −log D(G(z), z) − log(1 − D(x, E(x)))). At the
game's optimum E and G invert each other. Both players' gradients come from
one forward pass and both update at once, as in ALI's algorithm.

* ``stochastic_encoder``: False for BiGAN's deterministic E(x); True for
  ALI's Gaussian encoder, whose network outputs [μ, log σ] and whose code is
  reparameterised as z = μ + σ ε (Kingma & Welling 2014), so the gradient
  reaches the encoder through the sample. The ``encode`` export gives μ.
* ``loss``: any key of ``tfgen.losses.ADVERSARIAL_LOSSES``; the
  generator-encoder player minimizes the discriminator's loss with the
  pairs' roles swapped (``minimax``: its negative).

References:
  Donahue, Krähenbühl & Darrell 2017, "Adversarial Feature Learning".
  Dumoulin et al. 2017, "Adversarially Learned Inference".
  The GAN tutorial in ../shared/papers/gan-tutorial_* (its ALI/BiGAN section).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.losses import ADVERSARIAL_LOSSES
from tfgen.models.latent import LatentGame


@keras.saving.register_keras_serializable(package="tfgen")
class BiGAN(LatentGame):
    """Encoder and generator (one player) against a joint discriminator."""

    networks = ("generator", "encoder", "discriminator")
    players = {"generator": ("generator", "encoder"), "discriminator": ("discriminator",)}
    hparams = dict(LatentGame.hparams, loss="non_saturating", stochastic_encoder=False)
    loss_names = ("d_loss", "ge_loss", "d_data", "d_generated", "code_std")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.loss not in ADVERSARIAL_LOSSES:
            raise ValueError(f"unknown adversarial loss {self.loss!r}; valid: "
                             f"{', '.join(ADVERSARIAL_LOSSES)}")
        width = int(self.encoder.output_shape[-1])
        want = self.latent_dim * (2 if self.stochastic_encoder else 1)
        if width != want:
            kind = "a Gaussian (2·latent_dim)" if self.stochastic_encoder else \
                "a deterministic (latent_dim)"
            raise ValueError(f"stochastic_encoder={self.stochastic_encoder} needs {kind} "
                             f"encoder output of {want}, the encoder gives {width}")
        if len(self.discriminator.inputs) != 2:
            raise ValueError("the discriminator must take [examples, latents] "
                             "(a joint_critic network)")
        self._d_loss_fn, _ = ADVERSARIAL_LOSSES[self.loss]

    def encode(self, x, training=False, noise=None):
        """The code of ``x``: E(x), or for ALI μ(x) + σ(x)·noise (μ without noise)."""
        out = self.encoder(x, training=training)
        if not self.stochastic_encoder:
            return out
        mu, log_sigma = out[:, :self.latent_dim], out[:, self.latent_dim:]
        return mu if noise is None else mu + tf.exp(log_sigma) * noise

    def train_step(self, data):
        real = self.batch(data)
        batch = tf.shape(real)[0]
        z = self.sample_latents(batch, stream=0)
        noise = distribute.replica_normal([batch, self.latent_dim], self.draw_seed(1)) \
            if self.stochastic_encoder else None
        with tf.GradientTape(persistent=True) as tape:
            # 1. Both kinds of pairs, from one forward pass.
            code = self.encode(real, training=True, noise=noise)
            fake = self.generator(z, training=True)
            data_out = self.discriminator([real, code], training=True)
            gen_out = self.discriminator([fake, z], training=True)
            # 2. D labels data pairs real; G and E play with the labels swapped.
            d_loss = self._d_loss_fn(data_out, gen_out)
            ge_loss = -d_loss if self.loss == "minimax" else \
                self._d_loss_fn(gen_out, data_out)
            d_scaled = self.scale(d_loss, "discriminator")
            ge_scaled = self.scale(ge_loss, "generator")
        # 3. Both players step from the same point.
        self.update("discriminator", tape, d_scaled)
        self.update("generator", tape, ge_scaled)
        del tape
        self.finish_step()
        return self.track(d_loss=d_loss, ge_loss=ge_loss,
                          d_data=tf.reduce_mean(data_out), d_generated=tf.reduce_mean(gen_out),
                          code_std=tf.math.reduce_std(code))

    def mean_encoder(self) -> keras.Model:
        """Images → codes (μ for a Gaussian encoder) as one Keras model."""
        if not self.stochastic_encoder:
            return self.encoder
        mu = self.encoder.output[:, :self.latent_dim]
        return keras.Model(self.encoder.input, mu, name="encoder_mean")

    def export_parts(self) -> dict:
        from tfgen import export_parts

        return dict(super().export_parts(), encode=export_parts.EncodePart(self.mean_encoder()))
