"""The EMA warm-up (``model.ema_warmup``): decay capped by (1 + n) / (10 + n)."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen import testing
from tfgen.models import averages

one_net = testing.one_net_game


def test_decay_follows_tensorflows_num_updates_rule():
    assert averages.decay_at(0.999, 5, warmup=False) == 0.999
    got = [float(averages.decay_at(0.999, n, warmup=True)) for n in (0, 8, 90, 8990, 10**6)]
    np.testing.assert_allclose(got, [0.1, 0.5, 91 / 100, 8991 / 9000, 0.999], rtol=1e-6)


@pytest.mark.parametrize("warmup", [False, True])
def test_share_of_the_initial_weights_after_n_steps(warmup):
    """Weights jump from 0 to 1 and stay: the average is 1 - (share of init)."""
    m = one_net(ema_decay=0.999, ema_warmup=warmup)
    assert m.hyperparameters() == {"ema_decay": 0.999, "ema_warmup": warmup, "ema_power": 0.0}
    for w in m.net.weights:
        w.assign(tf.ones_like(w))
    steps = 200
    for _ in range(steps):
        m.finish_step()
    n = np.arange(steps)
    decays = np.minimum(0.999, (1 + n) / (10 + n)) if warmup else np.full(steps, 0.999)
    init_share = np.prod(decays)  # hand-computed: 9! 200! / 209! with the warm-up
    avg = m.averaged("net").weights[0].numpy()
    np.testing.assert_allclose(avg, 1.0 - init_share, rtol=1e-4)
    # Without the warm-up 82% of the average is still the initialisation;
    # with it, 0.000...%: the average is of the steps taken.
    assert (init_share > 0.8) if not warmup else (init_share < 1e-12)


def test_without_warmup_the_update_arithmetic_is_unchanged():
    """Same bits as ``d * avg + (1 - d) * w`` with a Python float d (old runs resume)."""
    m = one_net(ema_decay=0.999)
    for w in m.net.weights:
        w.assign(tf.fill(w.shape, 0.37))
    m.finish_step()
    expected = np.float32(0.999) * np.float32(0.0) + np.float32(1.0 - 0.999) * np.float32(0.37)
    assert m.averaged("net").weights[0].numpy()[0, 0] == expected


def test_warmup_is_saved_in_the_model_config():
    m = one_net(ema_decay=0.99, ema_warmup=True)
    back = testing.OneNetGame.from_config(m.get_config())
    assert back.ema_warmup is True and back.ema_decay == 0.99
