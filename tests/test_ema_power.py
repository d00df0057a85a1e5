"""The power-function average (``model.ema_power``): decay (1 - 1/t)^(γ+1)."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen import testing
from tfgen.models import averages

one_net = testing.one_net_game


def test_decay_is_the_power_rule_capped_by_ema_decay():
    got = [float(averages.decay_at(0.999, n, warmup=False, power=1.0))
           for n in (0, 1, 9, 99, 10**6)]
    # t = n + 1 updates: (1 - 1/t)^2, and the cap 0.999 at t = 10^6 + 1.
    np.testing.assert_allclose(got, [0.0, 0.25, 0.81, 0.99 ** 2, 0.999], rtol=1e-6)
    assert float(averages.decay_at(0.99999, 47999, False, power=0.5)) == pytest.approx(
        (1 - 1 / 48000) ** 1.5, abs=1e-7)


@pytest.mark.parametrize("power", [1.0, 0.5, 3.0])
def test_the_average_weights_step_k_by_k_to_the_power(power):
    """w_k = k after update k; the average is Σ [k^(γ+1) - (k-1)^(γ+1)] k / T^(γ+1)."""
    m = one_net(ema_decay=0.99999, ema_power=power)
    assert m.hyperparameters()["ema_power"] == power
    for w in m.net.weights:  # the initial weights: none of them may survive
        w.assign(tf.fill(w.shape, 1000.0))
    steps = 300
    for k in range(1, steps + 1):
        for w in m.net.weights:
            w.assign(tf.fill(w.shape, float(k)))
        m.finish_step()
    k = np.arange(1, steps + 1, dtype=np.float64)
    share = (k ** (power + 1) - (k - 1) ** (power + 1)) / steps ** (power + 1)
    expected = float(np.sum(share * k))  # hand-computed; 1000 never enters
    # For γ = 1 the closed form: Σ (2k - 1) k / T² = (T + 1)(4T - 1) / (6T).
    if power == 1.0:
        assert expected == pytest.approx((steps + 1) * (4 * steps - 1) / (6 * steps))
    avg = m.averaged("net").weights[0].numpy()
    np.testing.assert_allclose(avg, expected, rtol=2e-5)
    # The warm-up rule (γ ≈ 8) would sit much nearer the last step.
    assert expected < steps * (power + 1) / (power + 2) + 1


def test_power_is_checked_and_saved():
    with pytest.raises(ValueError, match="ema_power must be >= 0"):
        one_net(ema_decay=0.999, ema_power=-1.0)
    with pytest.raises(ValueError, match="two warm-ups"):
        one_net(ema_decay=0.999, ema_power=1.0, ema_warmup=True)
    with pytest.raises(ValueError, match="set ema_decay > 0"):
        one_net(ema_power=1.0)
    m = one_net(ema_decay=0.99999, ema_power=1.0)
    back = testing.OneNetGame.from_config(m.get_config())
    assert back.ema_power == 1.0 and back.ema_decay == 0.99999
