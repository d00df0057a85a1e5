"""One adversarial model for the GAN family; the game is configuration.

GAN (minimax or non-saturating), LSGAN, WGAN (weight clipping, n_critic),
WGAN-GP, hinge and R1 are all this class with different arguments, following
the GAN tutorial in ``../shared/papers/gan-tutorial_*``:

* ``loss``: a key of ``tfgen.losses.ADVERSARIAL_LOSSES``;
* ``n_critic``: critic updates per generator update. The data pipeline then
  delivers ``n_critic`` minibatches per step (global batch × n_critic) and
  critic update i uses examples i, i + n, i + 2n, ...: a fresh real minibatch
  per critic iteration, as in WGAN's Algorithm 1, and the same split on any
  number of replicas;
* ``clip_value``: WGAN weight clipping of the critic after each update;
* ``gp_weight``: WGAN-GP two-sided penalty (λ = 10 in Gulrajani et al. 2017);
* ``r1_weight``: R1 penalty weight γ, applied as (γ/2)·E||∇D(x)||².
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.losses import ADVERSARIAL_LOSSES, gradient_penalty, r1_penalty
from tfgen.models.latent import LatentGame


@keras.saving.register_keras_serializable(package="tfgen")
class AdversarialModel(LatentGame):
    """Generator and discriminator playing the game selected by ``loss``."""

    networks = ("generator", "discriminator")
    hparams = dict(LatentGame.hparams, loss="non_saturating", n_critic=1,
                   clip_value=0.0, gp_weight=0.0, r1_weight=0.0)
    loss_names = ("d_loss", "g_loss", "penalty", "d_real", "d_fake")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.loss not in ADVERSARIAL_LOSSES:
            raise ValueError(f"unknown adversarial loss {self.loss!r}; valid: "
                             f"{', '.join(ADVERSARIAL_LOSSES)}")
        if self.n_critic < 1:
            raise ValueError(f"n_critic must be >= 1, got {self.n_critic}")
        self._d_loss_fn, self._g_loss_fn = ADVERSARIAL_LOSSES[self.loss]

    @property
    def examples_per_step(self) -> int:
        """Minibatches the pipeline must deliver per train step."""
        return self.n_critic

    def critic(self, x):
        return self.discriminator(x, training=True)

    def discriminator_step(self, real, stream: int):
        """One critic update on ``real``; returns (loss, penalty, D(x), D(G(z)))."""
        batch = tf.shape(real)[0]
        z = self.sample_latents(batch, stream=2 * stream)
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            real_out = self.critic(real)
            fake_out = self.critic(fake)
            d_loss = self._d_loss_fn(real_out, fake_out)
            penalty = tf.constant(0.0)
            if self.gp_weight > 0:
                # Nested tape inside gradient_penalty: double back-prop.
                alpha = distribute.replica_uniform(
                    [batch], self.draw_seed(2 * stream + 1))
                penalty += self.gp_weight * gradient_penalty(
                    self.critic, real, fake, alpha)
            if self.r1_weight > 0:
                penalty += 0.5 * self.r1_weight * r1_penalty(self.critic, real)
            total = d_loss + penalty
            scaled = self.scale(total, "discriminator")
        self.update("discriminator", tape, scaled)
        if self.clip_value > 0:
            for w in self.discriminator.trainable_variables:
                w.assign(tf.clip_by_value(w, -self.clip_value, self.clip_value))
        return d_loss, penalty, tf.reduce_mean(real_out), tf.reduce_mean(fake_out)

    def generator_step(self, batch, stream: int):
        z = self.sample_latents(batch, stream=stream)
        with tf.GradientTape() as tape:
            fake = self.generator(z, training=True)
            g_loss = self._g_loss_fn(self.critic(fake))
            scaled = self.scale(g_loss, "generator")
        self.update("generator", tape, scaled)
        return g_loss

    def train_step(self, data):
        return self.adversarial_step(self.batch(data))

    def adversarial_step(self, real, examples=None):
        """n_critic critic updates, then one generator update (one step)."""
        n = self.n_critic
        # 1. Train the critic n times, each on its own strided minibatch.
        #    A Python loop: n is static, so it unrolls at trace time.
        for i in range(n):
            real_i = real[i::n] if n > 1 else real
            d_loss, penalty, d_real, d_fake = self.discriminator_step(real_i, i)
        # 2. Train the generator once, on a batch of the same size.
        g_loss = self.generator_step(tf.shape(real)[0] // n, stream=2 * n)
        self.finish_step(examples)
        return self.track(d_loss=d_loss, g_loss=g_loss, penalty=penalty,
                          d_real=d_real, d_fake=d_fake)
