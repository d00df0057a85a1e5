"""Coding rate and rate reduction: float64 NumPy known answers, identities,
gradients, and the global batch across replicas."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen import distribute
from tfgen.losses.rate_reduction import (
    coding_rate,
    delta_r,
    delta_r_conditional,
    delta_r_within,
    normalize,
)

EPS_SQ = 0.5


# Independent float64 reference (slogdet on the d×d matrix, boolean selection).
def np_rate(z, eps_sq=EPS_SQ):
    z = np.asarray(z, np.float64)
    n, d = z.shape
    if n == 0:
        return 0.0
    sign, logdet = np.linalg.slogdet(np.eye(d) + d / (n * eps_sq) * z.T @ z)
    assert sign > 0
    return 0.5 * logdet


def np_delta_r(z, zh, eps_sq=EPS_SQ):
    return np_rate(np.concatenate([z, zh]), eps_sq) - 0.5 * (np_rate(z, eps_sq) + np_rate(zh, eps_sq))


def np_within(z, labels, num_classes, eps_sq=EPS_SQ):
    n = len(z)
    return np_rate(z, eps_sq) - sum((labels == j).sum() / n * np_rate(z[labels == j], eps_sq)
                                    for j in range(num_classes))


def np_conditional(z, zh, labels, num_classes, eps_sq=EPS_SQ):
    between = sum(np_delta_r(z[labels == j], zh[labels == j], eps_sq) for j in range(num_classes))
    return np_within(z, labels, num_classes, eps_sq) + np_within(zh, labels, num_classes, eps_sq) + between


def feats(n, d, seed, dtype=np.float32):
    x = np.random.default_rng(seed).standard_normal((n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(dtype)


FORMS = ("auto", "dxd", "nxn")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("n,d", [(64, 16), (8, 32), (3, 5)])
def test_rates_match_float64_numpy(n, d, form):
    z, zh = feats(n, d, 0), feats(n, d, 1)
    labels = np.random.default_rng(2).choice([0, 2, 3], n)  # class 1 absent
    z64, zh64 = z.astype(np.float64), zh.astype(np.float64)
    assert float(coding_rate(z, form=form)) == pytest.approx(np_rate(z64), rel=1e-5, abs=1e-5)
    assert float(delta_r(z, zh, form=form)) == pytest.approx(np_delta_r(z64, zh64), abs=2e-5)
    assert float(delta_r_within(z, labels, 4, form=form)) == pytest.approx(
        np_within(z64, labels, 4), abs=2e-5)
    assert float(delta_r_conditional(z, zh, labels, 4, form=form)) == pytest.approx(
        np_conditional(z64, zh64, labels, 4), abs=5e-5)


def test_unequal_set_sizes_and_eps():
    z, zh = feats(20, 6, 3), feats(7, 6, 4)
    for form in FORMS:
        got = float(delta_r(z, zh, 0.1, form=form))
        assert got == pytest.approx(np_delta_r(z, zh, 0.1), abs=5e-5)


def test_eps_sq_may_be_a_tensor():
    z, zh = feats(10, 4, 20), feats(10, 4, 21)
    fn = tf.function(lambda e: delta_r(z, zh, e))
    assert float(fn(tf.constant(0.25))) == pytest.approx(np_delta_r(z, zh, 0.25), abs=2e-5)


def test_float64_accumulation_is_exact_to_double_precision():
    z, zh = feats(1024, 64, 5), feats(1024, 64, 6)
    want = np_delta_r(z, zh)
    got64 = delta_r(z, zh, compute_dtype="float64")
    assert got64.dtype == tf.float32  # returned in the loss dtype
    assert float(delta_r(tf.constant(z, tf.float64), zh, compute_dtype="float64")) == pytest.approx(
        want, rel=1e-12)
    assert float(got64) == pytest.approx(want, rel=1e-6)
    assert float(delta_r(z, zh)) == pytest.approx(want, rel=1e-3)


@pytest.mark.parametrize("form", ("dxd", "nxn"))
def test_delta_r_identities(form):
    z = feats(32, 8, 7)
    assert abs(float(delta_r(z, z, form=form))) < 1e-6
    labels = np.arange(32) % 3  # Ẑ = Z: the between-class ΔR(Zⱼ, Ẑⱼ) terms vanish
    assert float(delta_r_conditional(z, z, labels, 3, form=form)) == pytest.approx(
        2 * float(delta_r_within(z, labels, 3, form=form)), abs=1e-6)
    for s in range(6):  # concavity of log det: ΔR >= 0
        assert float(delta_r(feats(32, 8, s), feats(24, 8, s + 10), form=form)) >= 0
    q = np.linalg.qr(np.random.default_rng(8).standard_normal((8, 8)))[0].astype(np.float32)
    zh = feats(32, 8, 9)
    assert float(delta_r(z @ q, zh @ q, form=form)) == pytest.approx(
        float(delta_r(z, zh, form=form)), abs=1e-5)
    assert float(coding_rate(z @ q, form=form)) == pytest.approx(
        float(coding_rate(z, form=form)), rel=1e-6)


@pytest.mark.parametrize("n,d", [(40, 16), (6, 32)])
def test_gram_forms_agree(n, d):
    z, zh = feats(n, d, 10), feats(n, d, 11)
    labels = np.arange(n) % 3
    assert float(coding_rate(z, form="dxd")) == pytest.approx(float(coding_rate(z, form="nxn")), rel=1e-5)
    assert float(delta_r(z, zh, form="dxd")) == pytest.approx(float(delta_r(z, zh, form="nxn")), abs=2e-5)
    assert float(delta_r_conditional(z, zh, labels, 3, form="dxd")) == pytest.approx(
        float(delta_r_conditional(z, zh, labels, 3, form="nxn")), abs=5e-5)


@pytest.mark.parametrize("form", FORMS)
def test_rank_deficient_batches_are_finite_with_known_answer(form):
    d = 16
    rank1 = np.repeat(feats(1, d, 12), 40, axis=0)  # all rows equal: det = 1 + d/ε²
    assert float(coding_rate(rank1, form=form)) == pytest.approx(0.5 * np.log1p(d / EPS_SQ), rel=1e-6)
    dup = np.concatenate([feats(5, d, 13)] * 4)     # duplicated rows, rank 5
    z = tf.constant(dup)
    with tf.GradientTape() as tape:
        tape.watch(z)
        val = delta_r(z, tf.constant(rank1[:20]), form=form) + delta_r_conditional(
            z, z, np.arange(20) % 2, 2, form=form)
    assert np.isfinite(float(val))
    assert np.all(np.isfinite(tape.gradient(val, z).numpy()))
    assert float(delta_r(dup, rank1[:20], form=form)) == pytest.approx(np_delta_r(dup, rank1[:20]), abs=2e-5)


@pytest.mark.parametrize("form", ("dxd", "nxn"))
def test_gradients_match_finite_differences(form):
    z = tf.constant(feats(6, 4, 14, np.float64))
    zh = tf.constant(feats(6, 4, 15, np.float64))
    labels = np.array([0, 1, 0, 1, 1, 0])
    for fn in (lambda a: delta_r(a, zh, form=form),
               lambda a: delta_r_conditional(a, zh, labels, 2, form=form),
               lambda a: coding_rate(normalize(a), form=form)):
        theoretical, numerical = tf.test.compute_gradient(fn, [z], delta=1e-6)
        np.testing.assert_allclose(theoretical[0], numerical[0], atol=1e-7)
        assert np.abs(theoretical[0]).max() > 1e-3  # a gradient that is not trivially 0


def test_conditional_traces_once_and_compiles_with_xla():
    z, zh = feats(24, 8, 16), feats(24, 8, 17)
    fn = tf.function(lambda a, b, y: delta_r_conditional(a, b, y, 3, form="dxd"), jit_compile=True)
    for seed in (0, 1):
        labels = np.random.default_rng(seed).integers(0, 3, 24).astype(np.int32)
        assert float(fn(z, zh, labels)) == pytest.approx(np_conditional(z, zh, labels, 3), abs=5e-5)
    assert fn.experimental_get_tracing_count() == 1


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="shape \\[n, d\\]"):
        coding_rate(np.zeros((2, 3, 4), np.float32))
    with pytest.raises(ValueError, match="eps_sq"):
        coding_rate(feats(4, 3, 0), eps_sq=0.0)
    with pytest.raises(ValueError, match="form"):
        delta_r(feats(4, 3, 0), feats(4, 3, 1), form="small")
    with pytest.raises(ValueError, match="feature dimension"):
        delta_r(feats(4, 3, 0), feats(4, 5, 1))
    with pytest.raises(ValueError, match="compute_dtype"):
        coding_rate(feats(4, 3, 0), compute_dtype="float16")
    with pytest.raises(ValueError, match="equal batches"):
        delta_r_conditional(feats(4, 3, 0), feats(5, 3, 1), np.zeros(4, np.int32), 2)


# ---------------------------------------------------------------- replicas --

N_GLOBAL, D = 16, 48  # one device: n < d, so "auto" takes the n×n form there, d×d on two


def _run_on(strategy, fn, x, xh, labels):
    """Runs fn(x_local, xh_local, labels_local) in each replica of strategy.

    fn's second result is the scaled-loss gradient w.r.t. a mirrored variable;
    returns (per-replica values, replica-summed gradient).
    """
    reps = strategy.num_replicas_in_sync
    local = N_GLOBAL // reps

    def values(data):
        return strategy.experimental_distribute_values_from_function(
            lambda ctx: data[ctx.replica_id_in_sync_group * local:
                             (ctx.replica_id_in_sync_group + 1) * local])

    @tf.function
    def step(a, b, y):
        return strategy.run(fn, args=(a, b, y))

    vals, grads = step(values(x), values(xh), values(labels))
    return ([v.numpy() for v in strategy.experimental_local_results(vals)],
            strategy.reduce("SUM", grads, axis=None).numpy())


@pytest.mark.parametrize("objective", ["coding_rate", "delta_r", "conditional"])
def test_two_replicas_equal_one_device_on_the_global_batch(two_replicas, one_device, objective):
    rng = np.random.default_rng(18)
    x = tf.constant(rng.standard_normal((N_GLOBAL, D)), tf.float32)
    xh = tf.constant(rng.standard_normal((N_GLOBAL, D)), tf.float32)
    labels = tf.constant(np.arange(N_GLOBAL) % 3, tf.int32)
    w0 = rng.standard_normal((D, D)).astype(np.float32)
    results = {}
    for name, strategy in (("one", one_device), ("two", two_replicas)):
        with strategy.scope():
            w = tf.Variable(w0)

        def fn(a, b, y, w=w):
            with tf.GradientTape() as tape:
                z, zh = normalize(a @ w), normalize(b @ w)
                val = {"coding_rate": lambda: coding_rate(tf.concat([z, zh], 0)),
                       "delta_r": lambda: delta_r(z, zh),
                       "conditional": lambda: delta_r_conditional(z, zh, y, 3)}[objective]()
                scaled = distribute.scale_loss(val)
            return val, tape.gradient(scaled, w)

        results[name] = _run_on(strategy, fn, x, xh, labels)
    (one_vals, one_grad), (two_vals, two_grad) = results["one"], results["two"]
    # Reference value straight from NumPy on the global batch.
    z = tf.math.l2_normalize(x @ w0, -1).numpy()
    zh = tf.math.l2_normalize(xh @ w0, -1).numpy()
    want = {"coding_rate": lambda: np_rate(np.concatenate([z, zh])),
            "delta_r": lambda: np_delta_r(z, zh),
            "conditional": lambda: np_conditional(z, zh, labels.numpy(), 3)}[objective]()
    assert one_vals[0] == pytest.approx(want, abs=5e-5)
    assert len(two_vals) == 2
    for v in two_vals:
        assert v == pytest.approx(one_vals[0], abs=1e-5)
    assert np.abs(one_grad).max() > 1e-3
    np.testing.assert_allclose(two_grad, one_grad, atol=1e-5)


def test_local_rates_and_nxn_under_two_replicas(two_replicas):
    x = feats(N_GLOBAL, D, 19)
    halves = [x[:8], x[8:]]

    def fn(a, b, y):
        del b, y
        local = coding_rate(a, global_batch=False)
        return local, tf.zeros(())

    vals, _ = _run_on(two_replicas, fn, tf.constant(x), tf.constant(x), tf.zeros(N_GLOBAL, tf.int32))
    for v, h in zip(vals, halves):
        assert v == pytest.approx(np_rate(h), rel=1e-5)
    assert vals[0] != pytest.approx(np_rate(x), rel=1e-2)  # the local rate is not the global one

    def bad(a, b, y):
        del b, y
        return coding_rate(a, form="nxn"), tf.zeros(())

    with pytest.raises(ValueError, match="several replicas"):
        _run_on(two_replicas, bad, tf.constant(x), tf.constant(x), tf.zeros(N_GLOBAL, tf.int32))
