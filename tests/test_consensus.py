"""Consensus optimization (Mescheder et al. 2017): known answers and ring8.

* On quadratic games with a known vector field v = Jθ (J not symmetric), the
  regularizer's gradient equals Jᵀv computed by hand.
* On the bilinear game min_x max_y xy, simultaneous gradient steps spiral
  outwards while consensus steps converge to the equilibrium (0, 0).
* Simultaneous updates with and without consensus on ring8, 3 seeds.
* Replicas: the v part equals one device; the regularizer is each replica's
  own, averaged (what does and does not equal one device).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import config as config_lib
from tfgen.losses.consensus import consensus_gradients
from tfgen.models.consensus import SimultaneousModel
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.testing import max_abs_difference, weights_after_steps


def quadratic_game(rng, n1=3, n2=2):
    """f1 = ½xᵀPx + xᵀBy, f2 = ½yᵀQy + yᵀCx: v = (Px + By, Qy + Cx) = Jθ."""
    P = rng.normal(size=(n1, n1)); P = P + P.T
    Q = rng.normal(size=(n2, n2)); Q = Q + Q.T
    B, C = rng.normal(size=(n1, n2)), rng.normal(size=(n2, n1))
    J = np.block([[P, B], [C, Q]])
    return P, Q, B, C, J


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regularizer_gradient_is_jacobian_transpose_times_field(seed):
    rng = np.random.default_rng(seed)
    P, Q, B, C, J = quadratic_game(rng)
    x0, y0 = rng.normal(size=3), rng.normal(size=2)
    x, y = tf.Variable(x0[:, None]), tf.Variable(y0[:, None])
    c = {k: tf.constant(v) for k, v in dict(P=P, Q=Q, B=B, C=C).items()}

    def losses():
        f1 = 0.5 * tf.reduce_sum(x * (c["P"] @ x)) + tf.reduce_sum(x * (c["B"] @ y))
        f2 = 0.5 * tf.reduce_sum(y * (c["Q"] @ y)) + tf.reduce_sum(y * (c["C"] @ x))
        return {"a": f1, "b": f2}

    gamma = 0.7
    grads, reg = consensus_gradients(losses, {"a": [x], "b": [y]}, gamma)
    v = J @ np.concatenate([x0, y0])
    want = v + gamma * J.T @ v
    got = np.concatenate([grads["a"][0].numpy()[:, 0], grads["b"][0].numpy()[:, 0]])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(reg.numpy(), 0.5 * v @ v, rtol=1e-10)
    # γ = 0 is the plain simultaneous field.
    plain, _ = consensus_gradients(losses, {"a": [x], "b": [y]}, 0.0)
    np.testing.assert_allclose(plain["a"][0].numpy()[:, 0], v[:3], rtol=1e-10)


def bilinear_run(gamma, steps=200, h=0.1):
    """Simultaneous SGD on min_x max_y xy from (1, 1); returns ‖(x, y)‖ per step."""
    x, y = tf.Variable(1.0), tf.Variable(1.0)
    norms = []
    for _ in range(steps):
        grads, _ = consensus_gradients(lambda: {"x": x * y, "y": -x * y},
                                       {"x": [x], "y": [y]}, gamma)
        x.assign_sub(h * grads["x"][0])
        y.assign_sub(h * grads["y"][0])
        norms.append(float(tf.sqrt(x * x + y * y)))
    return np.array(norms)


def test_bilinear_game_simultaneous_spirals_out_consensus_converges():
    # v = (y, −x), J = [[0, 1], [−1, 0]], Jᵀv = (x, y). Simultaneous steps
    # multiply the norm by √(1 + h²) each; consensus by √((1 − hγ)² + h²).
    h, gamma = 0.1, 1.0
    sim = bilinear_run(0.0, h=h)
    con = bilinear_run(gamma, h=h)
    start = np.sqrt(2.0)
    np.testing.assert_allclose(sim, start * np.sqrt(1 + h * h) ** np.arange(1, 201),
                               rtol=1e-4)
    np.testing.assert_allclose(
        con, start * np.sqrt((1 - h * gamma) ** 2 + h * h) ** np.arange(1, 201), rtol=1e-3)
    assert sim[-1] > 2.5 * start and con[-1] < 1e-6


def mlp_model(gamma, opt=lambda: keras.optimizers.SGD(0.1), **kw):
    def make():
        g = mlp_generator(4, (2,), hidden=(8, 8))
        d = mlp_discriminator((2,), hidden=(8, 8))
        return (SimultaneousModel(g, d, 4, seed=3, consensus_weight=gamma, **kw),
                {"generator": opt(), "discriminator": opt()})
    return make


BATCH = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")


@pytest.mark.parametrize("kw", [dict(), dict(loss="wasserstein", gp_weight=1.0)],
                         ids=["non_saturating", "wgan_gp"])
def test_simultaneous_two_replicas_equal_one_device(kw, two_replicas, one_device):
    one = weights_after_steps(one_device, mlp_model(0.0, **kw), BATCH, steps=2)
    two = weights_after_steps(two_replicas, mlp_model(0.0, **kw), BATCH, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def per_half_consensus_step(gamma, lr=0.1):
    """One device, by hand: the mean of each half batch's consensus update."""
    keras.utils.set_random_seed(0)
    model, _ = mlp_model(gamma)()
    z = model.latent.sample(len(BATCH), model.draw_seed(0))
    variables = {p: model.player_variables(p) for p in ("discriminator", "generator")}
    halves = []
    for h in (slice(0, 8), slice(8, 16)):
        real = tf.constant(BATCH[h])
        grads, _ = consensus_gradients(
            lambda: model.player_losses(real, z[h], None), variables, gamma)
        halves.append(grads)
    for p, vs in variables.items():
        for i, v in enumerate(vs):
            v.assign_sub(lr * 0.5 * (halves[0][p][i] + halves[1][p][i]))
    return [np.asarray(w) for w in model.weights if "step_counter" not in w.path]


def test_consensus_replicas_average_their_own_regularizers(two_replicas, one_device):
    # The v part is linear in the examples, so replicas' mean = the global
    # batch's v; ½‖v‖² is not, so its gradient is each replica's own, averaged.
    two = weights_after_steps(two_replicas, mlp_model(10.0), BATCH, steps=1)
    one = weights_after_steps(one_device, mlp_model(10.0), BATCH, steps=1)
    by_hand = per_half_consensus_step(10.0)
    two = [w for w in two if w.ndim > 0 or w.dtype != np.int64]
    one = [w for w in one if w.ndim > 0 or w.dtype != np.int64]
    assert max_abs_difference(two, by_hand) < 1e-5
    assert max_abs_difference(two, one) > 1e-3


def test_bad_inputs_are_one_line_errors():
    with pytest.raises(ValueError, match="n_critic = 1"):
        mlp_model(10.0, n_critic=2)()
    with pytest.raises(ValueError, match="consensus_weight must be >= 0"):
        mlp_model(-1.0)()
    with pytest.raises(ValueError, match="mixed precision"):
        model, _ = mlp_model(1.0)()
        model.compile({p: keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
                       for p in ("generator", "discriminator")})


def test_consensus_config_fields_and_mixed_precision_error():
    c = config_lib.base_config("consensus")
    assert c.model.consensus_weight == 10.0
    assert config_lib.base_config("simultaneous").model.consensus_weight == 0.0
    c.train.mixed_precision = True
    with pytest.raises(ValueError, match="does not support train.mixed_precision"):
        config_lib.check(c)


def ring_run(gamma, seed, steps=(1000, 500)):
    """Mescheder et al.'s 8-Gaussian setup at small scale (bench/consensus.py):
    4×16 MLPs, latent 16, batch 512, RMSProp, lr 1e-3 for a short budget."""
    from tfgen import data
    from tfgen.metrics import mixture_mode_stats

    keras.utils.set_random_seed(seed)
    m = SimultaneousModel(mlp_generator(16, (2,), hidden=(16,) * 4),
                          mlp_discriminator((2,), hidden=(16,) * 4), 16,
                          seed=seed, consensus_weight=gamma)
    m.compile({p: keras.optimizers.RMSprop(1e-3) for p in ("generator", "discriminator")})
    ds = data.make_dataset("ring8", 512, seed=seed)
    m.fit(ds, steps_per_epoch=steps[0], epochs=1, verbose=0)
    for t in m.metrics:
        t.reset_state()
    logs = m.fit(ds, steps_per_epoch=steps[1], epochs=1, verbose=0).history
    x = m.generate(2500, seed=1).numpy()
    spec = data.mixture_spec("ring8")
    stats = mixture_mode_stats(x, spec.centers, spec.std)
    return stats["modes_covered"], logs["consensus"][-1], logs["d_loss"][-1], \
        float(np.linalg.norm(x.mean(0)))


@pytest.mark.parametrize("seed", [0, pytest.param(1, marks=pytest.mark.slow),
                                  pytest.param(2, marks=pytest.mark.slow)])
def test_ring8_consensus_converges_where_simultaneous_drifts(seed):
    # Measured over seeds 0-2 (docs/benchmarks/bigan_consensus.md): after
    # 1,500 steps consensus covers all 8 modes with ½‖v‖² < 1e-3 and the
    # losses at the equilibrium (log 4 for D); simultaneous updates cover 6-8
    # with ½‖v‖² in the hundreds (the discriminator keeps growing) and the
    # samples' mean drifting off the ring's centre. The drift's size depends on
    # the CPU's kernels: the norm of the mean (the ring's radius is 1) was
    # 0.026 / 0.017 / 0.028 (consensus) against 0.31 / 0.059 / 0.11
    # (simultaneous) for seeds 0-2 on a Sapphire Rapids (AVX-512/AMX) machine,
    # and 0.042 / 0.016 / 0.014 against 0.31 / 0.16 / 0.29 on an AMD EPYC. So
    # the test asks for a consensus mean within a tenth of the radius and a
    # simultaneous mean at least twice as far out, not a cut at the measured
    # values; the consensus term's own effect is pinned by ½‖v‖² above.
    modes_c, reg_c, d_c, mean_c = ring_run(10.0, seed)
    modes_s, reg_s, d_s, mean_s = ring_run(0.0, seed)
    print(seed, "consensus", modes_c, reg_c, d_c, mean_c, "simultaneous", modes_s, reg_s,
          d_s, mean_s)
    assert modes_c == 8 and modes_c >= modes_s
    assert reg_c < 1e-2 < 10.0 < reg_s
    assert abs(d_c - np.log(4.0)) < 0.02 and d_s < np.log(4.0) - 0.1
    assert mean_c < 0.1 and mean_s > 2.0 * mean_c


def test_keras_file_round_trip(tmp_path):
    model, opts = mlp_model(10.0, loss="hinge")()
    model.compile(opts)
    path = str(tmp_path / "consensus.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, SimultaneousModel)
    assert (loaded.loss, loaded.consensus_weight) == ("hinge", 10.0)
    np.testing.assert_allclose(loaded.discriminator(BATCH), model.discriminator(BATCH),
                               atol=1e-6)
