"""MLPs that work in units of the data's extent.

``net.<slot>.scale`` multiplies the MLP generator's output and divides the
descriptor's input. configs/coopnets_grid25.py uses it (scale 4) with
ring8's Langevin settings times 4: in those units grid25 is ring8's size,
and the Langevin revision with step k·delta and reference k·s on f(x / k)
is k times the revision with step delta and reference s on f, the
equivariance checked here (tests/test_coopnets_mixtures.py trains the
config).
"""

import keras
import numpy as np
import tensorflow as tf

from tfgen import networks
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.samplers.langevin import coopnets_revise


def test_scale_one_adds_no_layer_and_is_the_default():
    g = mlp_generator(2, (2,), hidden=(8,))
    d = mlp_discriminator((2,), hidden=(8,))
    assert [type(l).__name__ for l in g.layers] == ["InputLayer", "Dense", "Dense"]
    assert [type(l).__name__ for l in d.layers] == ["InputLayer", "Dense", "Dense"]
    assert networks.NETWORKS["mlp_generator"].fields()["scale"] == 1.0
    assert networks.NETWORKS["mlp_discriminator"].fields()["scale"] == 1.0


def test_generator_output_is_scaled_and_descriptor_input_divided():
    keras.utils.set_random_seed(3)
    plain = mlp_generator(2, (2,), hidden=(8,))
    scaled = mlp_generator(2, (2,), hidden=(8,), scale=4.0)
    scaled.set_weights(plain.get_weights())  # Rescaling has no weights
    z = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(scaled(z).numpy(), 4.0 * plain(z).numpy(), rtol=1e-6)

    d_plain = mlp_discriminator((2,), hidden=(8,))
    d_scaled = mlp_discriminator((2,), hidden=(8,), scale=4.0)
    d_scaled.set_weights(d_plain.get_weights())
    np.testing.assert_allclose(d_scaled(4.0 * z).numpy(), d_plain(z).numpy(),
                               rtol=1e-5, atol=1e-6)


def test_langevin_revision_is_equivariant_to_the_scale():
    keras.utils.set_random_seed(5)
    d_unit = mlp_discriminator((2,), hidden=(16, 16))
    d_big = mlp_discriminator((2,), hidden=(16, 16), scale=4.0)
    d_big.set_weights(d_unit.get_weights())
    y0 = np.random.default_rng(1).normal(size=(64, 2)).astype("float32")
    seed = tf.constant([7, 0], tf.int32)
    unit = coopnets_revise(lambda y: d_unit(y), tf.constant(y0), 10, 0.002, 0.016, seed)
    big = coopnets_revise(lambda y: d_big(y), tf.constant(4.0 * y0), 10, 0.008, 0.064, seed)
    moved = np.abs(unit.numpy() - y0).max()
    assert moved > 1e-3  # the chain did move, so the comparison means something
    np.testing.assert_allclose(big.numpy(), 4.0 * unit.numpy(), rtol=1e-4, atol=1e-5)
