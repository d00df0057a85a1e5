"""CoopNets: a descriptor and a generator trained by MCMC teaching.

Xie, Lu, Gao, Wu 2018, "Cooperative Training of Descriptor and Generator
Networks" (``../shared/papers/coopnets_*``), Algorithm 1. One ``train_step``:

* G0: X̂ ~ N(0, I), Ŷ = g(X̂) + e, e ~ N(0, σ² I): a draw from the
  generator model of eq. (6), as Algorithm 1 writes it (``add_gen_noise``;
  off gives the noiseless drafts Ŷ = g(X̂) of earlier tfgen versions);
* D1: revise Ŷ by l_D Langevin steps of the descriptor, eq. (4) → Ỹ;
* G1: infer the latents of Ỹ: X̃ = X̂ (the paper's default, l_G = 0), or
  l_G Langevin steps on the posterior log p(X, Ỹ), eq. (9);
* D2: update the descriptor from observed vs revised examples, eq. (5);
* G2: update the generator by regressing Ỹ on X̃, eq. (10).

The descriptor density is p(Y) ∝ exp(f(Y)) q(Y) with a Gaussian reference
q = N(0, s² I). The logged scores of observed, initial and revised examples
and the G2 reconstruction error (the paper's signal that the generator has
caught up with the descriptor) go to TensorBoard.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.models import energy_steps as steps
from tfgen.models.alternating import infer_latents
from tfgen.models.latent import LatentGame
from tfgen.samplers import langevin as lv


@keras.saving.register_keras_serializable(package="tfgen")
class CoopNetsModel(LatentGame):
    """Descriptor f(Y; W_D) and generator g(X; W_G) of CoopNets Algorithm 1.

    ``clip_revised`` is not in the paper: it keeps revised examples in the
    data range [-1, 1].
    """

    networks = ("generator", "descriptor")
    hparams = dict(LatentGame.hparams, langevin_steps=10, step_size=0.002,
                   ref_std=1.0, gen_noise_std=0.3, add_gen_noise=True,
                   infer_steps=0, infer_step_size=0.1, clip_revised=False)
    loss_names = ("descriptor_loss", "recon_error", "score_observed",
                  "score_initial", "score_revised")

    def score(self, y):
        """f(Y): the descriptor's negative energy, one number per example."""
        return steps.scores(self.descriptor, y)

    def revise(self, y, seed):
        """Step D1: l_D Langevin steps of eq. (4) from ``y``."""
        return lv.coopnets_revise(self.score, y, self.langevin_steps,
                                  self.step_size, self.ref_std, seed,
                                  bounds=(-1.0, 1.0) if self.clip_revised else None)

    def infer_latents(self, x, y, seed):
        """Step G1 (rigorous form): Langevin on log p(X, Y), eq. (9), from X̂.

        The generator is evaluated as step G2 will regress it, eq. (10)
        (training mode, without moving the batch-norm averages; see
        :func:`tfgen.models.alternating.regressed_generator`).
        """
        return infer_latents(self.generator, y, x, self.infer_steps,
                             self.infer_step_size, self.gen_noise_std, seed)

    def train_step(self, data):
        observed = self.batch(data)
        batch = tf.shape(observed)[0]
        # G0. Initial drafts: examples of the generator model, eq. (6). G2
        # still regresses on X̂ alone; e is part of what the revision starts
        # from, not of g.
        x_hat = self.sample_latents(batch, stream=0)
        y_hat = self.generator(x_hat, training=True)
        if self.add_gen_noise:
            y_hat += self.gen_noise_std * distribute.replica_normal(
                tf.shape(y_hat), self.draw_seed(1))
        # D1. The descriptor revises the drafts.
        y_tilde = self.revise(y_hat, self.draw_seed(2))
        # G1. Latents of the revised examples: known (X̃ = X̂) or inferred.
        x_tilde = x_hat
        if self.infer_steps > 0:
            x_tilde = self.infer_latents(x_hat, y_tilde, self.draw_seed(3))
        # D2. Descriptor: observed examples up, revised examples down.
        d_loss, s_obs, s_rev = steps.descriptor_step(self, "descriptor", observed,
                                                     y_tilde)
        # G2. Generator absorbs the revision: regress Ỹ on X̃.
        _, recon = steps.teaching_step(self, x_tilde, y_tilde, self.gen_noise_std)
        self.finish_step()
        mse = tf.reduce_mean(tf.square(tf.stop_gradient(y_tilde) - recon))
        return self.track(descriptor_loss=d_loss, recon_error=mse,
                          score_observed=tf.reduce_mean(s_obs),
                          score_initial=tf.reduce_mean(self.score(y_hat)),
                          score_revised=tf.reduce_mean(s_rev))
