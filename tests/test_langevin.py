"""Langevin sampler against distributions whose answer is known."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen.samplers import langevin as lv

SEED = tf.constant([7, 11], tf.int32)
MEAN = np.array([1.0, -2.0], np.float32)
COV = np.array([[1.0, 0.6], [0.6, 0.5]], np.float32)
PREC = np.linalg.inv(COV).astype(np.float32)


def gaussian_log_p(x):
    d = x - MEAN
    return -0.5 * tf.reduce_sum(tf.matmul(d, PREC) * d, axis=-1)


@pytest.mark.parametrize("steps,delta", [(400, 0.2), (1500, 0.1)])
def test_gaussian_moments(steps, delta):
    chains = 4000
    x = lv.langevin(gaussian_log_p, tf.zeros([chains, 2]), steps, delta, SEED)
    x = x.numpy().astype(np.float64)
    # Monte-Carlo error of the mean: sqrt(var / n) ~ 0.016; the unadjusted
    # Langevin bias is O(delta^2) on the covariance (< 2% at delta = 0.2).
    np.testing.assert_allclose(x.mean(0), MEAN, atol=0.06)
    np.testing.assert_allclose(np.cov(x, rowvar=False), COV, atol=0.08, rtol=0.06)


def test_bounds_sample_the_truncated_normal():
    # Projected Langevin on N(0, 1) restricted to [0.5, 2]: the truncated
    # normal, mean (phi(a) - phi(b)) / (Phi(b) - Phi(a)) = 1.0430; the
    # projection's bias is O(delta).
    a, b = 0.5, 2.0
    x = lv.langevin(lambda x: -0.5 * tf.reduce_sum(x * x, -1), tf.ones([4000, 1]),
                    2000, 0.05, SEED, bounds=(a, b)).numpy()
    assert x.min() >= a and x.max() <= b
    from scipy.stats import truncnorm
    assert abs(x.mean() - truncnorm.mean(a, b)) < 0.03
    assert abs(x.std() - truncnorm.std(a, b)) < 0.03
    free = lv.langevin(lambda x: -0.5 * tf.reduce_sum(x * x, -1), tf.ones([4000, 1]),
                       2000, 0.05, SEED).numpy()
    assert free.min() < a and free.mean() < 0.3  # unbounded: heads back to 0


def test_too_few_steps_has_not_converged():
    x = lv.langevin(gaussian_log_p, tf.zeros([4000, 2]), 5, 0.1, SEED).numpy()
    assert np.abs(x.mean(0) - MEAN).max() > 0.5


def test_bimodal_mixture_mean_and_variance():
    # 0.5 N(-2, 0.5^2) + 0.5 N(2, 0.5^2): mean 0, variance 4 + 0.25.
    def log_p(x):
        x = x[:, 0]
        a = -0.5 * ((x + 2.0) / 0.5) ** 2
        b = -0.5 * ((x - 2.0) / 0.5) ** 2
        return tf.reduce_logsumexp(tf.stack([a, b]), axis=0)

    # Start each chain in a random mode: the barrier is too high to cross.
    start = tf.constant(np.random.default_rng(0).choice([-2.0, 2.0], (6000, 1)), tf.float32)
    x = lv.langevin(log_p, start, 300, 0.1, SEED).numpy()[:, 0]
    assert abs(x.mean()) < 0.12
    assert x.var() == pytest.approx(4.25, rel=0.05)
    assert abs((x > 0).mean() - 0.5) < 0.03


def test_coopnets_form_with_zero_score_samples_the_reference():
    s = 0.7
    y = lv.coopnets_revise(lambda y: tf.zeros([tf.shape(y)[0]]), tf.zeros([5000, 3]),
                           400, 0.1 * s, s, SEED).numpy()
    np.testing.assert_allclose(y.std(0), s, rtol=0.05)
    np.testing.assert_allclose(y.mean(0), 0.0, atol=0.04)


def test_coopinit_form_is_langevin_with_variance_two_eta():
    # D(x) = -x^2 / 2: stationary N(0, 1); one step from 0 has variance 2 eta.
    eta = 0.01
    one = lv.coopinit_langevin(lambda x: -0.5 * tf.reduce_sum(x * x, -1),
                               tf.zeros([20000, 1]), 1, eta, SEED).numpy()
    assert one.var() == pytest.approx(2 * eta, rel=0.05)
    many = lv.coopinit_langevin(lambda x: -0.5 * tf.reduce_sum(x * x, -1),
                                tf.zeros([5000, 1]), 600, eta, SEED).numpy()
    assert many.var() == pytest.approx(1.0, rel=0.08)


def test_trace_and_no_gradient_to_start():
    x0 = tf.Variable(tf.zeros([10, 2]))
    with tf.GradientTape() as tape:
        x, trace = lv.langevin(gaussian_log_p, x0 * 1.0, 20, 0.1, SEED, return_trace=True)
        total = tf.reduce_sum(x)
    assert trace.shape == (20,)
    assert trace.numpy()[-1] > trace.numpy()[0]  # moves towards high density
    assert tape.gradient(total, x0) is None


def test_jit_compiled_sampler_has_the_right_moments():
    # XLA maps random bits to normals its own way, so compare distributions.
    g = tf.function(lambda x: lv.langevin(gaussian_log_p, x, 400, 0.2, SEED),
                    jit_compile=True)
    x = g(tf.zeros([4000, 2])).numpy().astype(np.float64)
    np.testing.assert_allclose(x.mean(0), MEAN, atol=0.06)
    np.testing.assert_allclose(np.cov(x, rowvar=False), COV, atol=0.08, rtol=0.06)


def test_two_replicas_reproduce_one_device_with_distinct_noise(two_replicas):
    x0 = np.zeros([8, 2], np.float32)
    one = lv.langevin(gaussian_log_p, x0, 10, 0.1, SEED).numpy()
    ds = two_replicas.experimental_distribute_dataset(
        tf.data.Dataset.from_tensors(x0))
    batch = next(iter(ds))
    out = two_replicas.run(
        tf.function(lambda x: lv.langevin(gaussian_log_p, x, 10, 0.1, SEED)), (batch,))
    parts = [t.numpy() for t in two_replicas.experimental_local_results(out)]
    np.testing.assert_allclose(np.concatenate(parts), one, atol=1e-5)
    assert not np.allclose(parts[0], parts[1])
