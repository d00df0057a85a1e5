"""Line-by-line fidelity to the papers: cases a review found the code got wrong.

Each fix has a test that fails on the code before it:

* Algorithm G and CoopNets' step G1 infer latents with the generator that
  step G2 regresses (CoopNets paper, eqs. 9 and 10), batch norm included;
* CoopNets' step G0 adds the generator's noise e (Algorithm 1, eq. 6), and a
  config field reaches it;
* CoopInit keeps its cooperative stage while N ≤ N_coop (Algorithm 2).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tfgen.models.alternating import AlternatingBackpropModel
from tfgen.models.coopinit import ADVERSARIAL, COOPERATIVE, CoopInitModel
from tfgen.models.cooperative import CoopNetsModel
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.testing import max_abs_difference, weights_after_steps

LATENT = 3


def bn_generator():
    """A tiny generator with (synchronized) batch norm, as in the DCGAN one."""
    z = keras.Input((LATENT,))
    x = layers.Dense(16, use_bias=False)(z)
    x = layers.BatchNormalization(synchronized=True)(x)
    x = layers.ReLU()(x)
    return keras.Model(z, layers.Dense(2)(x), name="generator")


class ModeSpy(keras.Model):
    """Wraps a generator and records the ``training`` flag of every call."""

    def __init__(self, inner, calls):
        super().__init__(name="generator")
        self.inner = inner
        self.record = calls.append  # a bound method: Keras does not copy it

    def call(self, x, training=None):
        self.record(bool(training))
        return self.inner(x, training=training)


def abp(generator, infer_steps=5):
    return AlternatingBackpropModel(generator, LATENT, infer_steps=infer_steps,
                                    infer_step_size=0.1, seed=1)


def coopnets_infer(generator, infer_steps=5):
    return CoopNetsModel(generator, mlp_discriminator((2,), hidden=(8,)), LATENT,
                         langevin_steps=2, step_size=0.05,
                         infer_steps=infer_steps, seed=1)


def observed(n=16):
    return tf.constant(np.random.default_rng(0).normal(size=(n, 2)), tf.float32)


# ---------------------------------------------------------------- fix 1 --
@pytest.mark.parametrize("make", [abp, coopnets_infer], ids=["abp", "coopnets"])
def test_latent_inference_uses_the_generator_that_is_regressed(make):
    """Eq. (9) samples the posterior of the g that eq. (10) learns: every
    generator call of a train step (G0, the l_G inference steps, G2) must be
    in the same batch-norm mode."""
    keras.utils.set_random_seed(0)
    calls = []
    m = make(ModeSpy(bn_generator(), calls))
    players = m.player_networks()
    m.compile({p: keras.optimizers.Adam(1e-3) for p in players})
    m.train_step(observed())  # eager: one record per call, the loop included
    assert len(calls) > 2
    assert calls == [True] * len(calls), calls


@pytest.mark.parametrize("make", [abp, coopnets_infer], ids=["abp", "coopnets"])
def test_latent_inference_leaves_batch_norm_averages_alone(make):
    """Training-mode inference must not move the running averages l_G times."""
    keras.utils.set_random_seed(0)
    m = make(bn_generator())
    y = observed()
    before = [v.numpy().copy() for v in m.generator.non_trainable_variables]
    seed = tf.constant([3, 4], tf.int32)
    if isinstance(m, AlternatingBackpropModel):
        x = m.infer(y, seed)
    else:
        x = m.infer_latents(m.sample_latents(16, stream=0), y, seed)
    after = [v.numpy() for v in m.generator.non_trainable_variables]
    assert max_abs_difference(before, after) == 0.0
    assert np.all(np.isfinite(x.numpy()))


@pytest.mark.parametrize("make", [abp, coopnets_infer], ids=["abp", "coopnets"])
def test_batch_norm_inference_two_replicas_equal_one_device(make, two_replicas,
                                                            one_device):
    """Synchronized batch norm inside the inference loop reduces over replicas."""
    def maker():
        m = make(bn_generator(), infer_steps=3)
        return m, {p: keras.optimizers.Adam(1e-3) for p in m.player_networks()}

    batch = observed().numpy()
    one = weights_after_steps(one_device, maker, batch, steps=2)
    two = weights_after_steps(two_replicas, maker, batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def test_unrolled_inference_is_the_while_loop_chain():
    """The unrolled G1 draws the same noise and takes the same steps as
    ``lv.langevin`` would on the same log-density (no batch norm here)."""
    from tfgen.models.alternating import infer_latents
    from tfgen.samplers import langevin as lv

    keras.utils.set_random_seed(0)
    gen = mlp_generator(LATENT, (2,), hidden=(8,))
    y = observed()
    x0 = tf.constant(np.random.default_rng(1).normal(size=(16, LATENT)), tf.float32)
    seed = tf.constant([5, 6], tf.int32)

    def log_joint(x):
        r = y - gen(x, training=True)
        return (-tf.reduce_sum(r * r, -1) / (2 * 0.3 ** 2)
                - 0.5 * tf.reduce_sum(x * x, -1))

    expected = lv.langevin(log_joint, x0, 4, 0.1, seed)
    got = infer_latents(gen, y, x0, 4, 0.1, 0.3, seed)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), atol=1e-5)


# ---------------------------------------------------------------- fix 4 --
class StagePerStep(keras.callbacks.Callback):
    """Records the stage each step runs in (the switch happens between steps)."""

    def __init__(self):
        super().__init__()
        self.stages = []

    def on_train_batch_begin(self, batch, logs=None):
        self.stages.append(self.model.stage)


@pytest.mark.parametrize("coop_examples, cooperative_steps", [
    (48, 4),  # N = 0, 16, 32, 48 ≤ 48: the step that starts at N_coop cooperates
    (47, 3),  # N = 48 > 47
    (40, 3),
    (0, 0),   # no cooperative stage: the plain GAN
])
def test_coopinit_cooperates_while_n_at_most_n_coop(coop_examples,
                                                    cooperative_steps):
    """Algorithm 2: N ← 0; while N ≤ N_coop: Algorithm 1; N ← N + n."""
    keras.utils.set_random_seed(0)
    m = CoopInitModel(mlp_generator(LATENT, (2,), hidden=(8,)),
                      mlp_discriminator((2,), hidden=(8,)), LATENT,
                      coop_examples=coop_examples, langevin_steps=2,
                      step_size=0.01, seed=1)
    m.compile({p: keras.optimizers.Adam(1e-3) for p in m.player_networks()})
    spy = StagePerStep()
    ds = tf.data.Dataset.from_tensors(observed().numpy()).repeat()  # n = 16
    m.fit(ds, steps_per_epoch=6, epochs=1, verbose=0, callbacks=[spy])
    assert spy.stages == ([COOPERATIVE] * cooperative_steps
                          + [ADVERSARIAL] * (6 - cooperative_steps))


# ---------------------------------------------------------------- fix 2 --
def test_coopnets_g0_adds_the_generator_noise_by_default():
    """Algorithm 1, step G0: Ŷ_i = g(X̂_i; W_G) + e_i, e_i ~ N(0, σ² I) (eq. 6):
    the drafts that D1 revises carry the generator's noise."""
    keras.utils.set_random_seed(0)
    m = CoopNetsModel(mlp_generator(LATENT, (2,), hidden=(8,)),
                      mlp_discriminator((2,), hidden=(8,)), LATENT,
                      langevin_steps=2, step_size=0.05, gen_noise_std=0.3, seed=1)
    m.compile({p: keras.optimizers.Adam(1e-3) for p in m.player_networks()})
    drafts = []
    revise = m.revise
    m.revise = lambda y, seed: (drafts.append(y), revise(y, seed))[1]
    x_hat = m.sample_latents(512, stream=0)  # step 0's latents, as G0 draws them
    mean = m.generator(x_hat, training=True).numpy()
    m.train_step(observed(512))
    noise = drafts[0].numpy() - mean
    assert 0.27 < noise.std() < 0.33
    assert abs(noise.mean()) < 0.03


def test_coopnets_configs_reach_the_g0_noise_switch():
    """``model.add_gen_noise`` reaches the model: on in the CoopNets recipes
    (the paper's Algorithm 1), off when overridden."""
    from tfgen import data, recipes
    from tfgen.builders import build as build_coopnets

    for dataset in ("ring8", "mnist"):
        assert recipes.coopnets(dataset).model.add_gen_noise is True
    c = recipes.coopnets("ring8")
    info = data.dataset_info("ring8", "")
    assert build_coopnets(c, info)[0].add_gen_noise is True
    c.model.add_gen_noise = False
    assert build_coopnets(c, info)[0].add_gen_noise is False
