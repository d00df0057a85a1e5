"""GAN recipe options of issue 16: the linear learning-rate decay of
``optim.lr_decay_steps`` and the EMA generator behind the ``sample`` export."""

import types

import keras
import numpy as np
import pytest

from tfgen import config as config_lib
from tfgen import export
from tfgen.builders import adversarial
from tfgen.models.adversarial import AdversarialModel
from tfgen.networks.mlp import mlp_discriminator, mlp_generator


def _optimizers(n_critic=1, **optim):
    c = config_lib.base_config("adversarial")
    c.optim.g_lr, c.optim.d_lr = 1e-4, 4e-4
    for k, v in optim.items():
        c.optim[k] = v
    return adversarial.optimizers(c, types.SimpleNamespace(n_critic=n_critic))


def _rate(opt, iterations):
    opt.iterations.assign(iterations)
    return float(opt.learning_rate)


def test_without_decay_the_rates_are_constant():
    opts = _optimizers()  # base config: no lr_decay_steps field at all
    assert _rate(opts["generator"], 0) == pytest.approx(1e-4)
    assert _rate(opts["generator"], 10_000) == pytest.approx(1e-4)
    assert _rate(opts["discriminator"], 10_000) == pytest.approx(4e-4)


def test_linear_decay_reaches_zero_at_the_step_and_counts_critic_updates():
    opts = _optimizers(n_critic=2, lr_decay_steps=100)
    g, d = opts["generator"], opts["discriminator"]
    assert _rate(g, 0) == pytest.approx(1e-4)
    assert _rate(g, 25) == pytest.approx(0.75e-4)
    assert _rate(g, 100) == pytest.approx(0.0, abs=1e-12)
    assert _rate(g, 150) == pytest.approx(0.0, abs=1e-12)
    # Two critic updates per step: half-way through the run at update 100.
    assert _rate(d, 100) == pytest.approx(2e-4)
    assert _rate(d, 200) == pytest.approx(0.0, abs=1e-12)


def test_delayed_decay_holds_the_rate_then_falls_to_zero_at_the_end():
    # Constant to step 60, then linear to 0 at step 100 (CycleGAN's schedule).
    opts = _optimizers(n_critic=2, lr_decay_steps=100, lr_decay_start=60)
    g, d = opts["generator"], opts["discriminator"]
    assert _rate(g, 0) == pytest.approx(1e-4)
    assert _rate(g, 60) == pytest.approx(1e-4)
    assert _rate(g, 70) == pytest.approx(0.75e-4)
    assert _rate(g, 90) == pytest.approx(0.25e-4)
    assert _rate(g, 100) == pytest.approx(0.0, abs=1e-12)
    assert _rate(g, 130) == pytest.approx(0.0, abs=1e-12)
    # The critic's updates: held to 120, zero at 200.
    assert _rate(d, 120) == pytest.approx(4e-4)
    assert _rate(d, 160) == pytest.approx(2e-4)
    assert _rate(d, 200) == pytest.approx(0.0, abs=1e-12)


def test_a_zero_decay_start_keeps_the_old_schedule_bits():
    old = _optimizers(lr_decay_steps=100)["generator"]
    new = _optimizers(lr_decay_steps=100, lr_decay_start=0)["generator"]
    for it in (0, 1, 33, 99, 100):
        assert _rate(old, it) == _rate(new, it)


@pytest.mark.parametrize("start", [100, 150, -5])
def test_decay_start_outside_the_run_is_a_one_line_error(start):
    with pytest.raises(ValueError, match="lr_decay_start must lie between"):
        _optimizers(lr_decay_steps=100, lr_decay_start=start)


def test_negative_decay_steps_is_a_one_line_error():
    with pytest.raises(ValueError, match="lr_decay_steps must be >= 0"):
        _optimizers(lr_decay_steps=-1)


def test_sample_export_draws_from_the_ema_generator(tmp_path):
    keras.utils.set_random_seed(0)
    model = AdversarialModel(mlp_generator(3, (2,), hidden=(8,)),
                             mlp_discriminator((2,), hidden=(8,)), 3, ema_decay=0.999)
    for avg in model._ema:  # averages that differ from the live weights
        avg.assign(avg * 0.5 + 0.1)
    z = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    path = export.save(model.export_parts(), str(tmp_path / "export"))
    loaded = export.load(path)  # held: its part's functions use its variables
    exported = loaded.part("sample").serve(z)["images"].numpy()
    ema = model.averaged("generator")(z, training=False).numpy()
    live = model.generator(z, training=False).numpy()
    np.testing.assert_allclose(exported, ema, atol=1e-6)
    assert np.abs(exported - live).max() > 1e-3
