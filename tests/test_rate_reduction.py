"""Coding rate and rate reduction against float64 NumPy, and across replicas."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen import distribute
from tfgen.losses import coding_rate, delta_r, delta_r_conditional, normalize


def np_rate(z, eps_sq=0.5):
    z = np.asarray(z, np.float64)
    n, d = z.shape
    return 0.5 * np.linalg.slogdet(np.eye(d) + d / (n * eps_sq) * z.T @ z)[1]


def np_delta_r(z, zh, eps_sq=0.5):
    return np_rate(np.concatenate([z, zh]), eps_sq) - 0.5 * (np_rate(z, eps_sq) + np_rate(zh, eps_sq))


def feats(n, d, seed):
    x = np.random.default_rng(seed).standard_normal((n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("n,d", [(64, 16), (8, 32)])  # d x d and n x n forms
def test_rates_match_numpy(n, d):
    z, zh = feats(n, d, 0), feats(n, d, 1)
    assert float(coding_rate(z)) == pytest.approx(np_rate(z), rel=1e-4)
    assert float(delta_r(z, zh)) == pytest.approx(np_delta_r(z, zh), rel=1e-3, abs=1e-4)


def test_delta_r_properties():
    z = feats(32, 8, 2)
    assert abs(float(delta_r(z, z))) < 1e-5
    for s in range(5):
        assert float(delta_r(feats(32, 8, s), feats(32, 8, s + 10))) >= 0
    q = np.linalg.qr(np.random.default_rng(3).standard_normal((8, 8)))[0].astype(np.float32)
    zh = feats(32, 8, 4)
    assert float(delta_r(z @ q, zh @ q)) == pytest.approx(float(delta_r(z, zh)), rel=1e-4)


def test_gram_forms_agree_and_rank_deficient_is_finite():
    z = feats(8, 32, 5)  # n < d: the n x n form
    g = z.T @ z
    d_form = 0.5 * np.linalg.slogdet(np.eye(32) + 32 / (8 * 0.5) * g)[1]
    assert float(coding_rate(z)) == pytest.approx(d_form, rel=1e-4)
    rank1 = np.repeat(feats(1, 16, 6), 40, axis=0)
    assert np.isfinite(float(coding_rate(rank1))) and np.isfinite(float(delta_r(rank1, rank1)))


def test_gradient_matches_finite_differences():
    z0 = tf.constant(feats(12, 4, 7), tf.float64)
    zh = tf.constant(feats(12, 4, 8), tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z0)
        val = delta_r(tf.cast(z0, tf.float32), tf.cast(zh, tf.float32))
    grad = tape.gradient(val, z0).numpy()
    h, i, j = 1e-3, 3, 2
    zp, zm = z0.numpy().copy(), z0.numpy().copy()
    zp[i, j] += h
    zm[i, j] -= h
    fd = (np_delta_r(zp, zh.numpy()) - np_delta_r(zm, zh.numpy())) / (2 * h)
    assert grad[i, j] == pytest.approx(fd, rel=2e-2, abs=1e-3)


def test_conditional_objective_reduces_to_known_terms():
    z, zh = feats(40, 6, 9), feats(40, 6, 10)
    labels = np.array([0] * 20 + [1] * 20)
    got = float(delta_r_conditional(z, zh, labels, 2))

    def within(a):
        return np_rate(a) - sum(0.5 * np_rate(a[labels == j]) for j in range(2))

    want = within(z) + within(zh) + sum(np_delta_r(z[labels == j], zh[labels == j]) for j in range(2))
    assert got == pytest.approx(want, rel=1e-3)


def test_two_replicas_give_global_rates_and_gradients(two_replicas):
    z_all = tf.constant(feats(16, 8, 11))
    zh_all = tf.constant(feats(16, 8, 12))
    w = tf.Variable(tf.eye(8))

    def loss_and_grad(z, zh):
        with tf.GradientTape() as tape:
            val = delta_r(normalize(z @ w), normalize(zh @ w))
            scaled = distribute.scale_loss(val)
        return val, tape.gradient(scaled, w)

    want_val, want_grad = loss_and_grad(z_all, zh_all)
    ds = two_replicas.experimental_distribute_dataset(
        tf.data.Dataset.from_tensors((z_all, zh_all)))
    with two_replicas.scope():
        w = tf.Variable(tf.eye(8))
    vals, grads = two_replicas.run(tf.function(loss_and_grad), args=next(iter(ds)))
    for v in two_replicas.experimental_local_results(vals):
        assert float(v) == pytest.approx(float(want_val), rel=1e-5)
    total = two_replicas.reduce("SUM", grads, axis=None)
    np.testing.assert_allclose(total.numpy(), want_grad.numpy(), atol=1e-5)
