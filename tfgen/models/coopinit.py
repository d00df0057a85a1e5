"""CoopInit: cooperative initialization, then adversarial finalization.

Zhao, Xie, Li 2023, "CoopInit: Initializing Generative Adversarial Networks
via Cooperative Learning" (``../shared/papers/coopinit_*``), Algorithm 2.

Stage one (cooperative) treats the discriminator as a descriptor: an EBM
p(x) ∝ exp(D(x)) trained by the MLE gradient of eq. (3), its samples being
the generator's drafts revised by T Langevin steps x ← x + η∇D(x) + ε,
ε ~ N(0, 2η) (eq. 4); the generator learns by MCMC teaching (Algorithm 1,
step G2). Stage two continues the same two networks, with the same
optimizers and their state, under any adversarial loss of
``AdversarialModel`` (non-saturating, hinge, Wasserstein, WGAN-GP, R1).

Algorithm 2 counts the examples consumed, N (one minibatch of n per update,
N ← N + n after it), and keeps the cooperative stage ``while N ≤ N_coop``:
the last cooperative update is the one that starts at N = N_coop (or just
below it), so a run does ⌊N_coop / n⌋ + 1 cooperative updates and then
switches. N is a checkpointed variable, so a resumed run continues in the
right stage. ``coop_examples = 0`` means no cooperative stage at all (a plain
GAN, the baseline of the paper's comparisons) rather than Algorithm 2's one
update at N = 0. ``train_step`` dispatches on the stage in
Python; the callback that :meth:`fit` attaches retraces the step function once
at the switch (exactly two traces in a run, no ``tf.cond`` around optimizer
updates, which does not mix with ``MirroredStrategy``'s merge calls).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.models import energy_steps as steps
from tfgen.models.adversarial import AdversarialModel, images_of
from tfgen.samplers import langevin as lv

COOPERATIVE, ADVERSARIAL = "cooperative", "adversarial"


@keras.saving.register_keras_serializable(package="tfgen")
class CoopInitModel(AdversarialModel):
    """A GAN trained as CoopNets while N ≤ ``coop_examples`` (N_coop)."""

    loss_names = AdversarialModel.loss_names + (
        "coop_d_loss", "coop_recon_error", "stage", "examples_seen")

    def __init__(self, generator, discriminator, latent_dim,
                 coop_examples=100_000, langevin_steps=10, langevin_step_size=1.0,
                 **kwargs):
        super().__init__(generator, discriminator, latent_dim, **kwargs)
        self.coop_examples = int(coop_examples)
        self.langevin_steps = int(langevin_steps)
        self.langevin_step_size = float(langevin_step_size)
        self.examples_seen = keras.Variable(
            0, dtype="int64", trainable=False, name="examples_seen",
            aggregation="only_first_replica")
        self.stage = COOPERATIVE if self.coop_examples > 0 else ADVERSARIAL

    def hyperparameters(self):
        return dict(super().hyperparameters(), coop_examples=self.coop_examples,
                    langevin_steps=self.langevin_steps,
                    langevin_step_size=self.langevin_step_size)

    @property
    def examples_per_step(self) -> int:
        # Stage one uses one minibatch per step; stage two n_critic of them.
        return self.n_critic

    def score(self, x):
        return steps.scores(self.discriminator, x)

    def cooperative_step(self, real):
        """Algorithm 1 of the CoopInit paper on one minibatch."""
        batch = tf.shape(real)[0]
        # G1. Initial examples from the generator.
        z = self.sample_latents(batch, stream=100)
        x_hat = self.generator(z, training=True)
        # D1. Revise them by T Langevin steps on the descriptor D.
        x_tilde = lv.coopinit_langevin(self.score, x_hat, self.langevin_steps,
                                       self.langevin_step_size,
                                       self.draw_seed(101))
        # D2. Descriptor by the MLE gradient, eq. (3).
        d_loss, _, _ = steps.descriptor_step(self, "discriminator", real, x_tilde)
        # G2. Generator by MCMC teaching: (1/n) Σ ||x̃ − G(ẑ)||² (σ² = 1/2).
        _, recon = steps.teaching_step(self, z, x_tilde, sigma=0.5 ** 0.5)
        return d_loss, tf.reduce_mean(tf.square(x_tilde - recon))

    def train_step(self, data):
        real = images_of(data)
        global_batch = tf.cast(tf.shape(real)[0] // self.n_critic, tf.int64) * \
            distribute.num_replicas()
        if self.stage == COOPERATIVE:
            d_loss, recon = self.cooperative_step(real[::self.n_critic])
            self.examples_seen.assign_add(global_batch)
            self.finish_step()
            return self.track(coop_d_loss=d_loss, coop_recon_error=recon,
                              stage=0.0, examples_seen=tf.cast(
                                  self.examples_seen, tf.float32))
        logs = super().train_step(data)
        self.examples_seen.assign_add(global_batch)
        return dict(logs, **self.track(stage=1.0, examples_seen=tf.cast(
            self.examples_seen, tf.float32)))

    def advance_stage(self) -> bool:
        """Moves to the adversarial stage once N > N_coop (Algorithm 2).

        Called between steps with N = examples consumed so far; the next
        step is cooperative while N ≤ N_coop, the loop condition of
        Algorithm 2 (not N < N_coop, which would stop one minibatch early).
        """
        if self.stage == COOPERATIVE and \
                int(self.examples_seen.numpy()) > self.coop_examples:
            self.stage = ADVERSARIAL
            return True
        return False

    def fit(self, *args, callbacks=None, **kwargs):
        """``keras.Model.fit`` with the stage switch always attached."""
        callbacks = list(callbacks or [])
        if not any(isinstance(c, StageSwitch) for c in callbacks):
            callbacks.append(StageSwitch())
        return super().fit(*args, callbacks=callbacks, **kwargs)


class StageSwitch(keras.callbacks.Callback):
    """Switches a CoopInit model's stage between batches, retracing once."""

    def on_train_begin(self, logs=None):
        self._check()

    def on_train_batch_end(self, batch, logs=None):
        self._check()

    def _check(self):
        if self.model.advance_stage():
            print(f"\nCoopInit: {int(self.model.examples_seen.numpy())} examples "
                  "seen; switching to adversarial finalization")
            self.model.make_train_function(force=True)
