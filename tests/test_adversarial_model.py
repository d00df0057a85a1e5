"""The adversarial model: replica equivalence, serialization, export."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import export, sampling
from tfgen.models.adversarial import AdversarialModel
from tfgen.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.testing import max_abs_difference, weights_after_steps

VARIANTS = {
    "minimax": dict(loss="minimax"),
    "non_saturating": dict(loss="non_saturating"),
    "lsgan": dict(loss="least_squares"),
    "wgan_clip": dict(loss="wasserstein", n_critic=2, clip_value=0.05),
    "wgan_gp": dict(loss="wasserstein", n_critic=2, gp_weight=10.0),
    "hinge_r1": dict(loss="hinge", r1_weight=1.0),
    "uniform_prior_ema": dict(loss="non_saturating", prior="uniform", ema_decay=0.9),
}


def mlp_model(**kw):
    def make():
        g = mlp_generator(4, (2,), hidden=(16,))
        d = mlp_discriminator((2,), hidden=(16,))
        opt = keras.optimizers.RMSprop if kw.get("clip_value") else keras.optimizers.Adam
        return (AdversarialModel(g, d, 4, seed=3, **kw),
                {"generator": opt(1e-3), "discriminator": opt(1e-3)})
    return make


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_two_replicas_equal_one_device(name, two_replicas, one_device):
    kw = VARIANTS[name]
    batch = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    one = weights_after_steps(one_device, mlp_model(**kw), batch, steps=2)
    two = weights_after_steps(two_replicas, mlp_model(**kw), batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def test_steps_change_weights(one_device):
    batch = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    keras.utils.set_random_seed(0)
    with one_device.scope():
        model, _ = mlp_model(loss="non_saturating")()
    before = [np.asarray(w) for w in model.weights]
    after = weights_after_steps(one_device, mlp_model(loss="non_saturating"), batch)
    assert max_abs_difference(before, after) > 1e-4


def test_dcgan_with_batchnorm_two_replicas_equal_one_device(two_replicas, one_device):
    # Synchronized batch norm makes the batch statistics global (NOTES #8).
    def make():
        g = dcgan_generator(8, (8, 8, 1), width=4)
        d = dcgan_discriminator((8, 8, 1), width=4)
        return (AdversarialModel(g, d, 8, loss="non_saturating"),
                {"generator": keras.optimizers.Adam(1e-3),
                 "discriminator": keras.optimizers.Adam(1e-3)})

    batch = np.random.default_rng(1).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    one = weights_after_steps(one_device, make, batch)
    two = weights_after_steps(two_replicas, make, batch)
    assert max_abs_difference(one, two) < 1e-5


def test_unknown_loss_lists_valid_losses():
    with pytest.raises(ValueError, match="valid: minimax, non_saturating"):
        AdversarialModel(mlp_generator(2, (2,)), mlp_discriminator((2,)), 2,
                         loss="nonsaturating")


def test_keras_file_round_trip(tmp_path):
    model, opts = mlp_model(loss="hinge", r1_weight=2.0)()
    model.compile(opts)
    path = str(tmp_path / "gan.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, AdversarialModel)
    assert (loaded.loss, loaded.r1_weight, loaded.seed) == ("hinge", 2.0, 3)
    z = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(loaded.generator(z), model.generator(z), atol=1e-6)
    np.testing.assert_allclose(loaded.discriminator(z[:, :2]),
                               model.discriminator(z[:, :2]), atol=1e-6)


def test_export_reload_gives_same_images(tmp_path):
    g = dcgan_generator(8, (8, 8, 1), width=4)
    path = export.export_generator(g, str(tmp_path / "export"), 8,
                                   metadata={"method": "test"})
    z = np.random.default_rng(0).normal(size=(6, 8)).astype("float32")
    want = g(z, training=False).numpy()
    m = tf.saved_model.load(path)
    np.testing.assert_allclose(m(tf.constant(z)).numpy(), want, atol=1e-6)
    np.testing.assert_allclose(
        m.signatures["serving_default"](latents=tf.constant(z))["images"].numpy(),
        want, atol=1e-6)
    assert int(m.latent_dim.numpy()) == 8
    assert list(m.image_shape.numpy()) == [8, 8, 1]
    a, b = sampling.draw(m, 4, seed=1), sampling.draw(m, 4, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, sampling.draw(m, 4, seed=2))
    assert a.min() >= -1 and a.max() <= 1
    assert export.read_metadata(path)["method"] == "test"


def test_export_loads_with_tensorflow_hub(tmp_path):
    import tensorflow_hub as hub  # in the test extra
    g = mlp_generator(3, (2,))
    path = export.export_generator(g, str(tmp_path / "e"), 3)
    m = hub.load(path)
    z = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(m(z).numpy(), g(z).numpy(), atol=1e-6)


def test_export_refuses_existing_path_and_leaves_it_intact(tmp_path):
    g = mlp_generator(3, (2,))
    path = str(tmp_path / "e")
    export.export_generator(g, path, 3)
    stamp = os.path.getmtime(os.path.join(path, "saved_model.pb"))
    with pytest.raises(export.ExportExistsError, match="--overwrite"):
        export.export_generator(g, path, 3)
    assert os.path.getmtime(os.path.join(path, "saved_model.pb")) == stamp
    export.export_generator(g, path, 3, overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["e"]  # no temporary leftovers


def test_interpolation_walks_between_seed_endpoints(tmp_path):
    g = mlp_generator(3, (2,))
    m = tf.saved_model.load(export.export_generator(g, str(tmp_path / "e"), 3))
    path = sampling.interpolate(m, 1, 2, steps=5)
    assert path.shape == (5, 2)
    np.testing.assert_allclose(path[0], sampling.draw(m, 1, seed=1)[0], atol=1e-5)
    np.testing.assert_allclose(path[-1], sampling.draw(m, 1, seed=2)[0], atol=1e-5)
