"""The Game contract: declarations the machinery reads instead of probing."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import builders, networks
from tfgen import config as config_lib
from tfgen.config_upgrade import upgrade
from tfgen.models import stages
from tfgen.models.base import Game


def dense(name, units=2, inputs=2):
    x = keras.Input((inputs,))
    return keras.Model(x, keras.layers.Dense(units, name=name + "_d")(x), name=name)


class SharedTrunk(Game):
    """Two players whose networks share one trunk (InfoGAN's Q head, DANN)."""

    networks = ("trunk", "head_a", "head_b")
    players = {"a": ("trunk", "head_a"), "b": ("trunk", "head_b")}
    ema_networks = ("head_a", "head_b")
    hparams = {"weight": 1.0, "steps": 2, "flag": False}
    stages = (("warm", "steps"), ("main", None))


def shared():
    return SharedTrunk(dense("trunk"), dense("head_a"), dense("head_b"), ema_decay=0.5)


def test_players_own_declared_networks_and_shared_variables_once():
    m = shared()
    a, b = m.player_variables("a"), m.player_variables("b")
    trunk = {id(v) for v in m.trunk.trainable_variables}
    assert len(a) == len(b) == 4
    assert trunk <= {id(v) for v in a} and trunk <= {id(v) for v in b}
    with pytest.raises(ValueError, match="players of SharedTrunk"):
        m.compile({"a": keras.optimizers.SGD(0.1)})
    m.compile({"a": keras.optimizers.SGD(0.1), "b": keras.optimizers.SGD(0.1)})


def test_hyperparameters_are_declared_once_and_checked():
    m = SharedTrunk(dense("t"), dense("a"), dense("b"), 3, steps=5)
    assert (m.weight, m.steps, m.flag) == (3.0, 5, False)
    assert isinstance(m.weight, float) and isinstance(m.steps, int)
    assert m.hyperparameters() == {"weight": 3.0, "steps": 5, "flag": False, "ema_decay": 0.0,
                                   "ema_warmup": False, "ema_power": 0.0}
    with pytest.raises(ValueError, match="no hyper-parameter 'wieght'"):
        SharedTrunk(dense("t"), dense("a"), dense("b"), wieght=2.0)
    with pytest.raises(ValueError, match="must be an integer"):
        SharedTrunk(dense("t"), dense("a"), dense("b"), steps=2.5)
    with pytest.raises(TypeError, match="needs the network 'head_b'"):
        SharedTrunk(dense("t"), dense("a"))


def test_ema_covers_every_declared_network():
    m = shared()
    before = [w.numpy().copy() for w in m.head_b.weights]
    for w in m.head_a.weights + m.head_b.weights:
        w.assign(w + 1.0)
    m.finish_step(examples=tf.constant(1))
    # EMA with decay 0.5 moves each average half-way to the new weights.
    for avg, w0 in zip(m.averaged("head_b").weights, before):
        np.testing.assert_allclose(avg.numpy(), w0 + 0.5, atol=1e-6)
    assert m.averaged("trunk") is m.trunk  # not declared: no average


def test_stages_count_examples_and_switch_after_their_length():
    m = shared()
    assert m.stage == "warm"
    m.finish_step(examples=tf.constant(2))
    assert not stages.advance(m) and m.stage == "warm"  # N = 2 <= 2
    m.finish_step(examples=tf.constant(1))
    assert stages.advance(m) and m.stage == "main"
    assert stages.logs(m)["stage"] == 1.0
    with pytest.raises(ValueError, match="is staged"):
        m.finish_step()


def test_batches_are_checked_against_the_data_kind():
    m = shared()
    assert m.batch(tf.zeros([2, 2])).shape == (2, 2)
    m.data_kind = "labelled"
    with pytest.raises(ValueError, match=r"data kind 'labelled', batches \(x, y\)"):
        m.batch(tf.zeros([2, 2]))
    x, y = m.batch((tf.zeros([2, 2]), tf.zeros([2], tf.int64)))
    m.data_kind = "semi_supervised"
    m.batch(((x, y), x))
    with pytest.raises(ValueError, match="tuple of 2"):
        m.batch((x, y))


def test_configs_hold_only_their_methods_fields():
    for name, method in builders.METHODS.items():
        c = config_lib.base_config(name)
        if method.model.kind_for(dict(c.model)) in ("semi_supervised", "unpaired"):
            c.data.target = "mnist5k_inverted"  # domain adaptation, domain B: a target
        config_lib.check(c)
        assert set(c.model) == set(method.model_fields())
    c = config_lib.base_config("descriptor")
    assert "latent_dim" not in c.net and "g_lr" not in c.optim
    c = config_lib.base_config("adversarial")
    c.model.unlock()
    c.model.langevin_steps = 3  # a cooperative field on a GAN
    with pytest.raises(ValueError, match="model.langevin_steps is not a field of method"):
        config_lib.check(c)
    c = config_lib.base_config("coopnets")
    c.method = "ctrl"
    with pytest.raises(ValueError, match="not a field of method 'ctrl'"):
        config_lib.check(c)


def test_network_entries_reject_fields_the_network_does_not_take():
    cfg = dict(networks.entry("mlp_generator"), widht=3)
    with pytest.raises(ValueError, match="'widht', which mlp_generator does not take"):
        networks.build("generator", cfg, "generator", (2,), 2)
    with pytest.raises(ValueError, match="not a generator network; valid: .*dcgan_generator, .*mlp_generator"):
        networks.build("generator", networks.entry("mlp_discriminator"), "generator",
                       (2,), 2)
    with pytest.raises(ValueError, match="has no field 'hidden'"):
        networks.entry("dcgan_generator", hidden=(3,))


OLD_COOPNETS = {  # a config.json written before per-method configs
    "method": "coopnets", "seed": 3,
    "data": {"name": "mnist", "data_dir": "", "batch_size": 64, "image_size": 0},
    "net": {"latent_dim": 32,
            "generator": {"name": "dcgan", "width": 32, "upsample": "transpose",
                          "hidden": [128, 128], "activation": "relu"},
            "discriminator": {"name": "coopnets", "width": 16, "hidden": [128, 128],
                              "activation": "relu"}},
    "model": {"loss": "non_saturating", "n_critic": 1, "clip_value": 0.0,
              "gp_weight": 0.0, "r1_weight": 0.0, "prior": "normal", "ema_decay": 0.0,
              "langevin_steps": 7, "step_size": 0.002, "ref_std": 0.016,
              "gen_noise_std": 0.3, "add_gen_noise": True, "infer_steps": 0,
              "infer_step_size": 0.1, "clip_revised": False, "coop_examples": 0,
              "eps_sq": 0.5, "coa_ratio": 0.0},
    "optim": {"name": "adam", "g_lr": 5e-4, "d_lr": 1e-3, "beta1": 0.5, "beta2": 0.999},
    "train": {"steps": 500}, "export": {"enabled": True}, "eval": {},
}


def test_an_older_config_json_upgrades_to_the_same_run():
    c = upgrade(config_lib.from_json(json.dumps(OLD_COOPNETS)))
    config_lib.check(c)
    assert dict(c.net.generator) == networks.entry("dcgan_generator", width=32)
    assert dict(c.net.descriptor) == networks.entry("coopnets_descriptor", width=16,
                                                    activation="relu")
    assert c.model.langevin_steps == 7 and c.model.ref_std == 0.016
    assert "loss" not in c.model and c.net.latent_dim == 32 and c.seed == 3
    assert (c.optim.g_lr, c.optim.d_lr, c.train.steps) == (5e-4, 1e-3, 500)
    assert upgrade(c).to_json() == c.to_json()  # idempotent


def test_ema_averages_are_checkpointed(tmp_path):
    """A resumed run continues the same averages (a plain list was not saved)."""
    m = shared()
    for avg in m._ema:
        avg.assign(avg + 3.0)
    path = tf.train.Checkpoint(model=m).save(str(tmp_path / "c"))
    back = shared()
    tf.train.Checkpoint(model=back).restore(path).assert_existing_objects_matched()
    for a, b in zip(m._ema, back._ema):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert len(back._ema) == 4  # head_a and head_b: kernel and bias each
