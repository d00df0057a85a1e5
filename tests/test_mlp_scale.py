"""MLPs that work in units of the data's extent, and CoopNets on grid25.

``net.<slot>.scale`` multiplies the MLP generator's output and divides the
descriptor's input. configs/coopnets_grid25.py uses it (scale 4) with
ring8's Langevin settings times 4: in those units grid25 is ring8's size,
and the Langevin revision with step k·delta and reference k·s on f(x / k)
is k times the revision with step delta and reference s on f, the
equivariance these tests check before the short training run.
"""

import importlib.util
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import data, networks, trainer
from tfgen.metrics import mixture_mode_stats
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.samplers.langevin import coopnets_revise

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


@pytest.mark.slow
def test_coopnets_grid25_config_covers_the_grid_without_running_away():
    # The earlier config (unscaled MLPs, step 0.01, s = 1) ran away after
    # 2,000 steps: revised examples tens of units out, no mode by 4,000.
    spec_ = importlib.util.spec_from_file_location(
        "cfg", os.path.join(ROOT, "configs", "coopnets_grid25.py"))
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    config = module.get_config()
    config.seed = 0
    keras.utils.set_random_seed(0)
    info = data.dataset_info("grid25", "")
    model = trainer.build(config, tf.distribute.get_strategy(), info)
    ds = data.make_dataset("grid25", config.data.batch_size, seed=0)
    model.fit(ds, steps_per_epoch=3000, epochs=1, verbose=0)
    x = model.generate(2500, seed=1).numpy()
    spec = data.mixture_spec("grid25")
    stats = mixture_mode_stats(x, spec.centers, spec.std)
    print("coopnets grid25, 3,000 steps:", stats, "max |x|", np.abs(x).max())
    assert np.isfinite(x).all() and np.abs(x).max() < 6.0  # grid spans [-4, 4]
    assert stats["modes_covered"] >= 18
