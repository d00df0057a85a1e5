"""CoopNets' two baselines: Algorithm D and Algorithm G, each alone.

``../shared/papers/coopnets_*``, Sec. 3:

* Algorithm D (Xie et al. 2016): the descriptor alone. D1 samples from the
  descriptor by l_D Langevin steps of eq. (4); D2 updates it by eq. (5).
* Algorithm G (Han et al. 2017, alternating back-propagation): the
  generator alone. G1 infers the latents of each observed example by l_G
  Langevin steps on log p(X, Y), eq. (9); G2 regresses the observed
  examples on the inferred latents, eq. (10).

The papers keep persistent chains per training example. Per-example state
does not shard across replicas of ``MirroredStrategy`` and a ``tf.data``
stream has no example identity, so here each chain starts afresh every step
(short-run chains, Nijkamp et al. 2019): from the reference distribution
N(0, s² I) for D1 and from the prior N(0, I) for G1. Use more steps than the
paper's warm-started chains need.

G1 evaluates the generator as G2 does (:func:`regressed_generator`: training
mode, batch statistics under batch normalization), so the posterior that
eq. (9) samples belongs to the function g whose weights eq. (10) learns;
CoopNets' rigorous step G1 shares it (:func:`infer_latents`).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.models import energy_steps as steps
from tfgen.models.base import Game
from tfgen.models.latent import LatentGame
from tfgen.samplers import langevin as lv


def regressed_generator(generator: keras.Model, latents: tf.Tensor) -> tf.Tensor:
    """g(X; W_G) as the learning step evaluates it, without its side effects.

    The posterior p(X | Y; W_G) ∝ p(X, Y; W_G) that eq. (9) samples must be
    that of the function whose parameters eq. (10) then updates. Step G2
    calls the generator in training mode, so under batch normalization g
    normalizes by the statistics of the batch of latents; in inference mode
    it would use the running averages instead, a different function (for a
    freshly initialised DCGAN generator the two outputs differ by about as
    much as the output itself). Inference therefore uses training mode too.

    A training-mode call also moves the batch-norm running averages, which
    l_G Langevin steps would do l_G extra times per step, on latents that are
    still being inferred. The ``StatelessScope`` records those assignments
    and discards them, so the running averages (used only for sampling and
    export) move once per G2 step, as they would without inference. The
    function's value and its gradient in X are unaffected.

    Args:
      generator: the generator network g.
      latents: a batch of latent vectors X (this replica's slice; synchronized
        batch norm reduces its statistics over all replicas, as in G2).

    Returns:
      g(X) with batch statistics.
    """
    with keras.StatelessScope():
        return generator(latents, training=True)


def infer_latents(generator: keras.Model, y: tf.Tensor, x0: tf.Tensor,
                  num_steps: int, step_size: float, sigma: float,
                  seed: tf.Tensor) -> tf.Tensor:
    """Step G1: ``num_steps`` Langevin steps on log p(X, Y), eq. (9), from ``x0``.

    log p(X, Y) = −‖Y − g(X)‖² / (2σ²) − ‖X‖² / 2 + const (eq. 7), with g the
    function that G2 regresses (:func:`regressed_generator`). Each step is
    X ← X + (δ²/2) ∂/∂X log p(X, Y) + δ U with noise drawn exactly as
    :func:`tfgen.samplers.langevin.langevin` draws it (step t from
    ``fold_in(seed, t)``), so the chain is the one that sampler would run.

    The loop is unrolled in Python rather than run as a ``tf.while_loop``:
    training-mode synchronized batch norm all-reduces its statistics across
    replicas, and ``MirroredStrategy`` refuses such a synchronization point
    inside the body of a control-flow loop ("merge_call called while defining
    a new graph"). l_G is a small Python integer, so the traced step holds
    l_G copies of the generator's forward and backward pass.

    Args:
      generator: the generator network g.
      y: the examples whose latents are inferred (this replica's slice).
      x0: the starting latents.
      num_steps: l_G (a Python int).
      step_size: δ of eq. (9).
      sigma: σ, the generator's noise standard deviation (eq. 6).
      seed: stateless seed, int32 [2].

    Returns:
      The inferred latents, as constants for the learning step.
    """
    inv_var = 1.0 / float(sigma) ** 2
    axes = list(range(1, len(y.shape)))
    x = tf.convert_to_tensor(x0)
    delta = tf.cast(step_size, x.dtype)
    for t in range(int(num_steps)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            resid = y - regressed_generator(generator, x)
            # Examples are independent given W_G, so the gradient of the sum
            # is each example's own (batch statistics aside, which is g).
            log_joint = tf.reduce_sum(
                -0.5 * inv_var * tf.reduce_sum(tf.square(resid), axis=axes)
                - 0.5 * tf.reduce_sum(tf.square(x), axis=-1))
        grad = tape.gradient(log_joint, x)
        noise = distribute.replica_normal(
            tf.shape(x), tf.random.experimental.stateless_fold_in(seed, t), x.dtype)
        x = x + 0.5 * delta * delta * grad + delta * noise
    return tf.stop_gradient(x)


@keras.saving.register_keras_serializable(package="tfgen")
class DescriptorModel(Game):
    """Algorithm D: an energy-based descriptor with its own Langevin sampler."""

    networks = ("descriptor",)
    hparams = {"langevin_steps": 60, "step_size": 0.01, "ref_std": 1.0}
    loss_names = ("descriptor_loss", "score_observed", "score_synthesized")

    def score(self, y):
        return steps.scores(self.descriptor, y)

    def synthesize(self, shape, seed):
        """D1 from the reference distribution: N(0, s² I) then Langevin."""
        y0 = self.ref_std * distribute.replica_normal(shape, seed)
        return lv.coopnets_revise(
            self.score, y0, self.langevin_steps, self.step_size, self.ref_std,
            tf.random.experimental.stateless_fold_in(seed, 1))

    def train_step(self, data):
        observed = self.batch(data)
        synth = self.synthesize(tf.shape(observed), self.draw_seed(0))
        loss, s_obs, s_syn = steps.descriptor_step(self, "descriptor", observed, synth)
        self.finish_step()
        return self.track(descriptor_loss=loss,
                          score_observed=tf.reduce_mean(s_obs),
                          score_synthesized=tf.reduce_mean(s_syn))

    def generate(self, num: int, seed: int = 0, shape=None):
        """Samples by Langevin from noise; ``shape`` is one example's shape."""
        shape = shape or self.descriptor.input_shape[1:]
        return self.synthesize([num, *shape], tf.constant([seed, 0], tf.int32))

    def export_parts(self) -> dict:
        from tfgen import export_parts

        return {"sample": export_parts.LangevinSamplePart(
            self.descriptor, self.descriptor.input_shape[1:], self.langevin_steps,
            self.step_size, self.ref_std)}


@keras.saving.register_keras_serializable(package="tfgen")
class AlternatingBackpropModel(LatentGame):
    """Algorithm G: a generator learned by Langevin inference + regression."""

    hparams = dict(LatentGame.hparams, infer_steps=30, infer_step_size=0.1,
                   gen_noise_std=0.3)
    loss_names = ("recon_error", "generator_loss")

    def infer(self, y, seed):
        """G1: l_G Langevin steps on log p(X, Y) from X ~ N(0, I), eq. (9).

        The generator is the one G2 regresses (:func:`regressed_generator`).
        """
        x0 = self.sample_latents(tf.shape(y)[0], stream=0)
        return infer_latents(self.generator, y, x0, self.infer_steps,
                             self.infer_step_size, self.gen_noise_std, seed)

    def train_step(self, data):
        observed = self.batch(data)
        x = self.infer(observed, self.draw_seed(1))
        loss, recon = steps.teaching_step(self, x, observed, self.gen_noise_std)
        self.finish_step()
        return self.track(recon_error=tf.reduce_mean(tf.square(observed - recon)),
                          generator_loss=loss)
