"""Adversarial losses against hand-computed values; penalties against analytic answers."""

import math

import numpy as np
import pytest
import tensorflow as tf

from tfgen import losses

REAL = np.array([2.0, -1.0, 0.5], np.float32)
FAKE = np.array([-3.0, 0.0, 1.0], np.float32)


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


def mean(xs):
    return sum(xs) / len(xs)


def test_gan_discriminator_loss_is_cross_entropy():
    want = mean([-math.log(sig(r)) for r in REAL]) + mean(
        [-math.log(1 - sig(f)) for f in FAKE])
    assert float(losses.gan_discriminator_loss(REAL, FAKE)) == pytest.approx(want, rel=1e-6)


def test_minimax_generator_loss_is_log_one_minus_d():
    want = mean([math.log(1 - sig(f)) for f in FAKE])
    assert float(losses.minimax_generator_loss(FAKE)) == pytest.approx(want, rel=1e-6)


def test_non_saturating_generator_loss_is_minus_log_d():
    want = mean([-math.log(sig(f)) for f in FAKE])
    assert float(losses.non_saturating_generator_loss(FAKE)) == pytest.approx(want, rel=1e-6)


def test_saturation_difference_between_generator_losses():
    # When D confidently rejects a sample (logit -10) the minimax loss has
    # almost no gradient, the non-saturating loss a large one (tutorial Sec. 3).
    x = tf.constant([-10.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        mm = losses.minimax_generator_loss(x)
        ns = losses.non_saturating_generator_loss(x)
    assert abs(float(tape.gradient(mm, x)[0])) < 1e-4
    assert abs(float(tape.gradient(ns, x)[0])) > 0.99


def test_least_squares_losses():
    want_d = 0.5 * mean([(r - 1) ** 2 for r in REAL]) + 0.5 * mean([f ** 2 for f in FAKE])
    want_g = 0.5 * mean([(f - 1) ** 2 for f in FAKE])
    assert float(losses.least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(want_d, rel=1e-6)
    assert float(losses.least_squares_generator_loss(FAKE)) == pytest.approx(want_g, rel=1e-6)


def test_wasserstein_losses():
    assert float(losses.wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(
        mean(FAKE) - mean(REAL), rel=1e-6)
    assert float(losses.wasserstein_generator_loss(FAKE)) == pytest.approx(-mean(FAKE), rel=1e-6)


def test_hinge_losses():
    want = mean([max(0, 1 - r) for r in REAL]) + mean([max(0, 1 + f) for f in FAKE])
    assert float(losses.hinge_discriminator_loss(REAL, FAKE)) == pytest.approx(want, rel=1e-6)
    assert float(losses.hinge_generator_loss(FAKE)) == pytest.approx(-mean(FAKE), rel=1e-6)


def test_losses_are_stable_for_extreme_logits():
    big = tf.constant([1e4, -1e4])
    for fn in (losses.non_saturating_generator_loss, losses.minimax_generator_loss):
        assert np.isfinite(float(fn(big)))
    assert np.isfinite(float(losses.gan_discriminator_loss(big, big)))


def linear_critic(w):
    w = tf.constant(w, tf.float32)
    return lambda x: tf.reduce_sum(x * w, axis=-1, keepdims=True)


def test_gradient_penalty_on_linear_critic_is_analytic():
    # D(x) = w.x has input gradient w everywhere: penalty = (||w|| - 1)^2.
    w = [3.0, 4.0]
    real = tf.random.normal([5, 2], seed=1)
    fake = tf.random.normal([5, 2], seed=2)
    alpha = tf.random.uniform([5], seed=3)
    gp = losses.gradient_penalty(linear_critic(w), real, fake, alpha)
    assert float(gp) == pytest.approx((5.0 - 1.0) ** 2, rel=1e-5)


def test_gradient_penalty_interpolates_per_example():
    # D(x) = 0.5 * ||x||^2 has gradient x: the penalty is evaluated at the
    # interpolates alpha_i * real_i + (1 - alpha_i) * fake_i.
    real = np.array([[2.0, 0.0], [0.0, 3.0]], np.float32)
    fake = np.zeros_like(real)
    alpha = np.array([0.25, 1.0], np.float32)
    critic = lambda x: 0.5 * tf.reduce_sum(x * x, axis=-1)  # noqa: E731
    gp = losses.gradient_penalty(critic, real, fake, alpha)
    want = mean([(0.5 - 1) ** 2, (3.0 - 1) ** 2])
    assert float(gp) == pytest.approx(want, rel=1e-5)


def test_gradient_penalty_gradient_reaches_critic_weights():
    # Nested tapes: d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w||.
    w = tf.Variable([3.0, 4.0])
    critic = lambda x: tf.reduce_sum(x * w, axis=-1)  # noqa: E731
    real = tf.ones([4, 2])
    with tf.GradientTape() as tape:
        gp = losses.gradient_penalty(critic, real, -real, tf.fill([4], 0.3))
    grad = tape.gradient(gp, w).numpy()
    np.testing.assert_allclose(grad, 2 * 4.0 * np.array([3.0, 4.0]) / 5.0, rtol=1e-5)


def test_r1_penalty_on_linear_critic_and_its_weight_gradient():
    w = tf.Variable([1.0, 2.0, 2.0])
    critic = lambda x: tf.reduce_sum(x * w, axis=-1)  # noqa: E731
    real = tf.random.normal([6, 3], seed=4)
    with tf.GradientTape() as tape:
        r1 = losses.r1_penalty(critic, real)
    assert float(r1) == pytest.approx(9.0, rel=1e-5)  # ||w||^2
    np.testing.assert_allclose(tape.gradient(r1, w).numpy(), [2.0, 4.0, 4.0], rtol=1e-5)


def test_descriptor_mle_loss_and_its_gradient():
    obs = np.array([1.0, 3.0], np.float32)
    syn = np.array([0.5, -0.5, 2.0], np.float32)
    assert float(losses.descriptor_mle_loss(obs, syn)) == pytest.approx(mean(syn) - mean(obs))
    # With f(Y) = w * Y the gradient is mean(Y_syn) - mean(Y_obs) (eq. 5, negated).
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss = losses.descriptor_mle_loss(w * obs, w * syn)
    assert float(tape.gradient(loss, w)) == pytest.approx(mean(syn) - mean(obs))


def test_mcmc_teaching_loss_values_and_constant_target():
    revised = tf.constant([[1.0, 2.0], [0.0, 0.0]])
    gen = tf.Variable([[0.0, 0.0], [1.0, 1.0]])
    with tf.GradientTape() as tape:
        loss = losses.mcmc_teaching_loss(revised, gen, sigma=1.0)
    assert float(loss) == pytest.approx(mean([5.0, 2.0]) / 2.0)
    # d/dg of ||r - g||^2 / (2 n) = (g - r) / n; no gradient flows into r.
    np.testing.assert_allclose(tape.gradient(loss, gen).numpy(),
                               (gen.numpy() - revised.numpy()) / 2.0)
    assert float(losses.mcmc_teaching_loss(revised, gen, sigma=0.5 ** 0.5)) == \
        pytest.approx(mean([5.0, 2.0]))
