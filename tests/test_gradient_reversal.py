"""The gradient reversal layer: identity forward, −λ × gradient backward."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import GradientReversal, reverse_gradient
from tfgen.layers.gradient_reversal import dann_lambda


def grad_through(layer_or_fn, x, upstream, **kw):
    x = tf.constant(x, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer_or_fn(x, **kw)
        loss = tf.reduce_sum(y * tf.constant(upstream, tf.float32))
    return y.numpy(), tape.gradient(loss, x).numpy()


@pytest.mark.parametrize("lam", [0.0, 0.5, 1.0, 3.0])
def test_forward_is_identity_and_backward_is_minus_lambda(lam):
    x = [[1.0, -2.0, 3.5], [0.0, 4.0, -1.0]]
    up = [[2.0, 1.0, -1.0], [0.5, -3.0, 7.0]]
    y, g = grad_through(GradientReversal(lam), x, up)
    np.testing.assert_array_equal(y, np.asarray(x, np.float32))
    np.testing.assert_allclose(g, -lam * np.asarray(up), rtol=1e-6)
    y, g = grad_through(reverse_gradient, x, up, lam=lam)
    np.testing.assert_allclose(g, -lam * np.asarray(up), rtol=1e-6)


def test_lambda_is_set_between_calls_and_per_call():
    layer = GradientReversal(1.0)
    _, g = grad_through(layer, [1.0, 2.0], [1.0, 1.0])
    np.testing.assert_allclose(g, [-1.0, -1.0])
    layer.set_lambda(0.25)
    _, g = grad_through(layer, [1.0, 2.0], [1.0, 1.0])
    np.testing.assert_allclose(g, [-0.25, -0.25])
    _, g = grad_through(layer, [1.0, 2.0], [1.0, 1.0], lam=2.0)
    np.testing.assert_allclose(g, [-2.0, -2.0])
    assert layer.lam.trainable is False


def test_reversal_in_a_model_flips_only_the_weights_before_it():
    """Dense → GRL → Dense: the first layer's gradient is −λ times what it
    would be without the layer; the second layer's is unchanged."""
    keras.utils.set_random_seed(0)
    inp = keras.Input((3,))
    first = keras.layers.Dense(4)
    second = keras.layers.Dense(1)
    plain = keras.Model(inp, second(first(inp)))
    reversed_ = keras.Model(inp, second(GradientReversal(0.7)(first(inp))))
    x = tf.random.stateless_normal([5, 3], [1, 2])
    grads = []
    for model in (plain, reversed_):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(model(x)))
        grads.append(tape.gradient(loss, first.trainable_variables + second.trainable_variables))
    np.testing.assert_allclose(plain(x), reversed_(x))
    for a, b in zip(grads[0][:2], grads[1][:2]):
        np.testing.assert_allclose(b, -0.7 * a, rtol=1e-5, atol=1e-7)
    for a, b in zip(grads[0][2:], grads[1][2:]):
        np.testing.assert_allclose(b, a, rtol=1e-6)


def test_lambda_schedule_of_the_paper():
    """λ_p = 2/(1 + exp(−10 p)) − 1: 0 at the start, → 1 at the end."""
    assert dann_lambda(0.0) == 0.0
    assert dann_lambda(1.0) == pytest.approx(2 / (1 + math.exp(-10)) - 1)
    assert dann_lambda(0.1) == pytest.approx(2 / (1 + math.exp(-1)) - 1)
    ps = np.linspace(0, 1, 11)
    tensor = dann_lambda(tf.constant(ps)).numpy()
    np.testing.assert_allclose(tensor, [dann_lambda(float(p)) for p in ps], rtol=1e-6)
    assert np.all(np.diff(tensor) > 0)


def test_layer_config_round_trip():
    layer = GradientReversal(0.3)
    clone = GradientReversal.from_config(layer.get_config())
    assert clone.initial_lambda == 0.3
    _, g = grad_through(clone, [1.0], [1.0])
    np.testing.assert_allclose(g, [-0.3], rtol=1e-6)
