"""Every config in configs/ builds its model on its data and trains two steps."""

import glob
import os

import numpy as np
import pytest
import tensorflow as tf

from tfgen import config as config_lib
from tfgen import data, trainer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = sorted(glob.glob(os.path.join(ROOT, "configs", "*.py")))


load = config_lib.from_file


def token_config_trains(config):
    """A token config (SeqGAN) builds on its data's streams and trains two steps."""
    info = data.info_for("tokens", config.data.name)
    model = trainer.build(config, tf.distribute.get_strategy(), info)
    x = data.load_tokens(config.data.name)[0][:8]
    logs = model.fit(tf.data.Dataset.from_tensors(x).repeat(), steps_per_epoch=2,
                     epochs=1, verbose=0).history
    assert logs and all(np.isfinite(v[-1]) for v in logs.values())
    assert int(model.step_counter.numpy()) == 2


def paired_config_trains(config, shared_data):
    """A paired config (Pix2Pix) builds on its (a, b) streams and trains two steps."""
    info = data.info_for("paired", config.data.name, shared_data)
    model = trainer.build(config, tf.distribute.get_strategy(), info)
    a, b = data.load_pairs(config.data.name, "test", shared_data)
    logs = model.fit(tf.data.Dataset.from_tensors((a[:8], b[:8])).repeat(),
                     steps_per_epoch=2, epochs=1, verbose=0).history
    assert logs and all(np.isfinite(v[-1]) for v in logs.values())
    assert int(model.step_counter.numpy()) == 2


def unpaired_config_trains(config, shared_data):
    """An unpaired config (CycleGAN, DiscoGAN) builds on its two domains and trains two steps."""
    info = data.info_for("unpaired", config.data.name, shared_data, target=config.data.target)
    model = trainer.build(config, tf.distribute.get_strategy(), info)
    ds = data.make("unpaired", config.data.name, 8, target=config.data.target,
                   data_dir=shared_data)
    logs = model.fit(ds, steps_per_epoch=2, epochs=1, verbose=0).history
    assert logs and all(np.isfinite(v[-1]) for v in logs.values())
    assert int(model.step_counter.numpy()) == 2


@pytest.mark.parametrize("path", CONFIGS, ids=[os.path.basename(p) for p in CONFIGS])
def test_config_builds_and_trains(path, shared_data):
    config = load(path)
    config_lib.check(config)
    config.data.data_dir = shared_data
    if trainer.data_kind(config) == "tokens":
        return token_config_trains(config)
    if trainer.data_kind(config) == "paired":
        return paired_config_trains(config, shared_data)
    if trainer.data_kind(config) == "unpaired":
        return unpaired_config_trains(config, shared_data)
    info = data.dataset_info(config.data.name, shared_data)
    if config.data.image_size and len(info.shape) == 3:
        info = data.DatasetInfo(info.name, (config.data.image_size,) * 2 + info.shape[2:],
                                info.num_classes, info.num_examples)
    model = trainer.build(config, tf.distribute.get_strategy(), info)
    per_step = model.examples_per_step
    x, y = data.load_arrays(config.data.name, "train", shared_data)
    x = x[:8 * per_step]
    if config.data.image_size and x.ndim == 4:
        x = tf.image.resize(x, [config.data.image_size] * 2).numpy()
    # Labelled methods (cGAN, AC-GAN) read (images, labels) batches.
    batch = (x, y[:len(x)].astype("int64")) if model.data_kind == "labelled" else x
    # Semi-supervised methods (DANN) read ((x, y), x_unlabelled); the source
    # stands in for the target in this smoke test.
    if model.data_kind == "semi_supervised":
        batch = ((x, y[:len(x)].astype("int64")), x)
    logs = model.fit(tf.data.Dataset.from_tensors(batch).repeat(), steps_per_epoch=2,
                     epochs=1, verbose=0).history
    assert logs and all(np.isfinite(v[-1]) for v in logs.values())
    assert int(model.step_counter.numpy()) == 2


@pytest.mark.parametrize("name", ["wgangp_mnist", "wgangp_fashion_mnist"])
def test_wgangp_image_configs_carry_algorithm_1_defaults(name):
    """Gulrajani et al. 2017, Algorithm 1: lambda = 10, n_critic = 5,
    Adam(alpha = 1e-4, beta1 = 0, beta2 = 0.9)."""
    c = load(os.path.join(ROOT, "configs", name + ".py"))
    assert (c.model.loss, c.model.gp_weight, c.model.n_critic) == ("wasserstein", 10.0, 5)
    assert c.optim.name == "adam"
    assert (c.optim.g_lr, c.optim.d_lr) == (1e-4, 1e-4)
    assert (c.optim.beta1, c.optim.beta2) == (0.0, 0.9)


@pytest.mark.parametrize("name", ["wgangp_ring8", "wgangp_grid25"])
def test_wgangp_mixture_configs_carry_the_toy_script_settings(name):
    """The released toy-data script: lambda = 0.1, Adam betas (0.5, 0.9)."""
    c = load(os.path.join(ROOT, "configs", name + ".py"))
    assert (c.model.gp_weight, c.model.n_critic) == (0.1, 5)
    assert (c.optim.beta1, c.optim.beta2) == (0.5, 0.9)
