"""SpectralNorm (Miyato et al. 2018): σ, the gradient through W/σ(W), u's
updates, replicas, and the DCGAN discriminator option."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import SpectralNorm
from tfgen.models.adversarial import AdversarialModel
from tfgen.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgen.testing import max_abs_difference, weights_after_steps


def built(layer, in_shape, iterations):
    keras.utils.set_random_seed(0)
    sn = SpectralNorm(layer, power_iterations=iterations)
    sn.build((None,) + tuple(in_shape))
    return sn


def top_singular_value(kernel):
    w = np.asarray(kernel).reshape(-1, kernel.shape[-1])
    return np.linalg.svd(w, compute_uv=False)[0]


@pytest.mark.parametrize("layer,in_shape", [
    (lambda: keras.layers.Dense(7), (5,)),
    (lambda: keras.layers.Conv2D(6, 3, strides=2, padding="same"), (8, 8, 3)),
])
def test_converged_sigma_is_the_top_singular_value(layer, in_shape):
    sn = built(layer(), in_shape, iterations=100)
    sigma = float(sn.sigma(training=False))
    assert sigma == pytest.approx(top_singular_value(sn.layer.kernel), rel=1e-4)
    # The output is the plain layer's with the kernel divided by σ (bias kept).
    sn.layer.bias.assign(np.linspace(-1, 1, sn.layer.bias.shape[0]).astype("float32"))
    x = np.random.default_rng(1).normal(size=(4,) + in_shape).astype("float32")
    kernel = np.asarray(sn.layer.kernel)
    sn.layer.kernel.assign(kernel / sigma)
    expected = np.asarray(sn.layer(x))
    sn.layer.kernel.assign(kernel)
    np.testing.assert_allclose(np.asarray(sn(x)), expected, rtol=1e-4, atol=1e-5)


def test_gradient_flows_through_sigma_as_the_paper():
    # With u, v converged, d σ/dW = u1 v1^T, so the layer's gradient must equal
    # that of x @ (W / σ_svd(W)) with σ from an exact, differentiable SVD.
    sn = built(keras.layers.Dense(4, use_bias=False), (6,), iterations=200)
    x = tf.constant(np.random.default_rng(2).normal(size=(3, 6)), tf.float32)
    target = tf.constant(np.random.default_rng(3).normal(size=(3, 4)), tf.float32)
    w = sn.layer.kernel
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((sn(x) - target) ** 2)
    got = tape.gradient(loss, w.value)
    with tf.GradientTape() as tape:
        tape.watch(w.value)
        sigma = tf.linalg.svd(w.value, compute_uv=False)[0]
        loss = tf.reduce_sum((x @ (w.value / sigma) - target) ** 2)
    want = tape.gradient(loss, w.value)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-3, atol=1e-5)
    # Keras's own wrapper ignores σ's dependence on W; ours must not.
    with tf.GradientTape() as tape:
        tape.watch(w.value)
        loss = tf.reduce_sum((x @ (w.value / tf.stop_gradient(sigma)) - target) ** 2)
    ignoring = tape.gradient(loss, w.value)
    assert np.abs(ignoring.numpy() - want.numpy()).max() > 1e-2


def test_u_is_written_in_training_calls_only():
    sn = built(keras.layers.Dense(3), (5,), iterations=1)
    x = np.ones((2, 5), "float32")
    u0 = np.asarray(sn.u)
    sn(x, training=False)
    np.testing.assert_array_equal(np.asarray(sn.u), u0)
    sn(x, training=True)
    u1 = np.asarray(sn.u)
    assert np.abs(u1 - u0).max() > 1e-3 and np.linalg.norm(u1) == pytest.approx(1, abs=1e-5)
    # Repeated training calls converge to the top singular value.
    for _ in range(200):
        sn(x, training=True)
    assert float(sn.sigma()) == pytest.approx(top_singular_value(sn.layer.kernel), rel=1e-4)


def test_wraps_only_dense_and_conv():
    with pytest.raises(ValueError, match="Dense or Conv2D"):
        SpectralNorm(keras.layers.Conv2DTranspose(3, 3))


def sn_gan():
    g = dcgan_generator(8, (8, 8, 1), width=4)
    d = dcgan_discriminator((8, 8, 1), width=4, spectral_norm=True)
    return (AdversarialModel(g, d, 8, loss="hinge"),
            {"generator": keras.optimizers.Adam(1e-3),
             "discriminator": keras.optimizers.Adam(1e-3)})


def test_spectral_norm_gan_two_replicas_equal_one_device(two_replicas, one_device):
    batch = np.random.default_rng(1).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    one = weights_after_steps(one_device, sn_gan, batch, steps=2)
    two = weights_after_steps(two_replicas, sn_gan, batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def test_spectral_norm_discriminator_keeps_each_layer_near_unit_norm(one_device):
    # After training steps the effective kernels W/σ(W) have top singular value
    # about 1 (one power iteration per call, as the paper).
    batch = np.random.default_rng(1).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    keras.utils.set_random_seed(0)
    with one_device.scope():
        model, optimizers = sn_gan()
        model.compile(optimizers, jit_compile=False)
    model.fit(tf.data.Dataset.from_tensors(batch).repeat(), steps_per_epoch=20,
              epochs=1, verbose=0)
    wrapped = [l for l in model.discriminator.layers if isinstance(l, SpectralNorm)]
    assert len(wrapped) == 2  # one convolution at 8 px, and the score layer
    for layer in wrapped:
        exact = top_singular_value(layer.layer.kernel)
        assert float(layer.sigma()) == pytest.approx(exact, rel=0.05)
