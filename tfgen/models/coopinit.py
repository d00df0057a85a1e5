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
switches. N is ``tfgen.models.stages``' checkpointed counter, so a resumed run
continues in the right stage. ``coop_examples = 0`` means no cooperative stage at all (a plain
GAN, the baseline of the paper's comparisons) rather than Algorithm 2's one
update at N = 0. ``train_step`` dispatches on the stage in
Python; the stage switch retraces the step function once (exactly two traces
in a run; see ``tfgen.models.stages``).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen.models import energy_steps as steps
from tfgen.models import stages
from tfgen.models.adversarial import AdversarialModel
from tfgen.samplers import langevin as lv

COOPERATIVE, ADVERSARIAL = "cooperative", "adversarial"


@keras.saving.register_keras_serializable(package="tfgen")
class CoopInitModel(AdversarialModel):
    """A GAN trained as CoopNets while N ≤ ``coop_examples`` (N_coop)."""

    hparams = dict(AdversarialModel.hparams, coop_examples=100_000,
                   langevin_steps=10, step_size=1.0)
    stages = ((COOPERATIVE, "coop_examples"), (ADVERSARIAL, None))
    loss_names = AdversarialModel.loss_names + (
        "coop_d_loss", "coop_recon_error", "stage", "examples_seen")

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
                                       self.step_size,
                                       self.draw_seed(101))
        # D2. Descriptor by the MLE gradient, eq. (3).
        d_loss, _, _ = steps.descriptor_step(self, "discriminator", real, x_tilde)
        # G2. Generator by MCMC teaching: (1/n) Σ ||x̃ − G(ẑ)||² (σ² = 1/2).
        _, recon = steps.teaching_step(self, z, x_tilde, sigma=0.5 ** 0.5)
        return d_loss, tf.reduce_mean(tf.square(x_tilde - recon))

    def train_step(self, data):
        real = self.batch(data)  # n_critic minibatches
        # Both stages count one minibatch of n per step (Algorithm 2).
        n = tf.shape(real)[0] // self.n_critic
        if self.stage == COOPERATIVE:
            d_loss, recon = self.cooperative_step(real[::self.n_critic])
            self.finish_step(examples=n)
            return self.track(coop_d_loss=d_loss, coop_recon_error=recon,
                              **stages.logs(self))
        logs = self.adversarial_step(real, examples=n)
        return dict(logs, **self.track(**stages.logs(self)))
