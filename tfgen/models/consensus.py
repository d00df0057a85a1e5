"""Simultaneous updates, and consensus optimization on top of them.

Both players step from the same point: one forward pass gives the
discriminator's and the generator's losses, the vector field v (each
player's gradient of its own loss) is taken at the current weights, and
both optimizers apply their part at once (no alternation). That is the
baseline of Mescheder et al. 2017. With ``consensus_weight`` γ > 0 each
player follows v_i + γ∇_{θ_i} ½‖v‖² (``tfgen.losses.consensus``), their
Algorithm 2, for any adversarial loss of the library.

* Distribution: each replica computes v and ½‖v‖² from its own minibatch
  and gradients, and the per-replica updates are averaged (as the original
  implementation computes the regularizer per minibatch). The v part then
  equals one device's on the global batch; the regularizer's part is the
  mean over replicas of Jᵀv of each replica's half batch, which is not the
  regularizer of the global batch's field (tests/test_consensus.py).
* Batch normalization: the regularizer differentiates through the networks
  twice, and batch statistics make every example's gradient depend on the
  whole minibatch; Mescheder et al.'s experiments use networks without it,
  and so do configs/consensus_*.py.
* Mixed precision (loss scaling) is not supported here.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.losses import gradient_penalty, r1_penalty
from tfgen.losses.consensus import consensus_gradients
from tfgen.models.adversarial import AdversarialModel


@keras.saving.register_keras_serializable(package="tfgen")
class SimultaneousModel(AdversarialModel):
    """Generator and discriminator updated simultaneously, optionally with consensus."""

    hparams = dict(AdversarialModel.hparams, consensus_weight=0.0)
    loss_names = AdversarialModel.loss_names + ("consensus",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.n_critic != 1:
            raise ValueError(f"simultaneous updates need n_critic = 1, got {self.n_critic}")
        if self.consensus_weight < 0:
            raise ValueError(f"consensus_weight must be >= 0, got {self.consensus_weight}")

    def compile(self, optimizers: dict, jit_compile=False, **kwargs):
        for opt in optimizers.values():
            if isinstance(opt, keras.optimizers.LossScaleOptimizer):
                raise ValueError("simultaneous/consensus updates do not support mixed "
                                 "precision (loss scaling); set train.mixed_precision=False")
        super().compile(optimizers, jit_compile=jit_compile, **kwargs)

    def player_losses(self, real, z, alpha, record=None) -> dict:
        """{player: loss} at the current weights, from one forward pass."""
        fake = self.generator(z, training=True)
        real_out, fake_out = self.critic(real), self.critic(fake)
        d_loss = self._d_loss_fn(real_out, fake_out)
        penalty = tf.constant(0.0)
        if self.gp_weight > 0:
            penalty += self.gp_weight * gradient_penalty(self.critic, real, fake, alpha)
        if self.r1_weight > 0:
            penalty += 0.5 * self.r1_weight * r1_penalty(self.critic, real)
        g_loss = self._g_loss_fn(fake_out)
        if record is not None:
            record.update(d_loss=d_loss, g_loss=g_loss, penalty=penalty,
                          d_real=tf.reduce_mean(real_out), d_fake=tf.reduce_mean(fake_out))
        return {"discriminator": d_loss + penalty, "generator": g_loss}

    def train_step(self, data):
        real = self.batch(data)
        batch = tf.shape(real)[0]
        z = self.sample_latents(batch, stream=0)
        alpha = distribute.replica_uniform([batch], self.draw_seed(1))
        seen = {}
        # 1. The vector field at the current point (and γJᵀv), per replica.
        players = ("discriminator", "generator")
        variables = {p: self.player_variables(p) for p in players}
        grads, reg = consensus_gradients(lambda: self.player_losses(real, z, alpha, seen),
                                         variables, self.consensus_weight)
        # 2. Both players step at once; replicas' updates are averaged.
        n = float(distribute.num_replicas())
        for p in players:
            self._player_opts[p].apply_gradients(
                zip([g / n for g in grads[p]], variables[p]))
        if self.clip_value > 0:
            for w in self.discriminator.trainable_variables:
                w.assign(tf.clip_by_value(w, -self.clip_value, self.clip_value))
        self.finish_step()
        return self.track(consensus=reg, **seen)
