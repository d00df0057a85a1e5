"""bench/posthoc_average.py: the power-function average rebuilt from checkpoints."""

import numpy as np
import pytest

from tfgen import testing


def _bench():
    return testing.load_bench("posthoc_average")


def _one_net(power):
    return testing.one_net_game(zeros=False, ema_decay=0.99999, ema_power=power)


def test_shares_are_the_power_rule_and_sum_to_one():
    b = _bench()
    got = b.power_shares([1, 2, 3, 4], 1.0)
    np.testing.assert_allclose(got, [1 / 16, 3 / 16, 5 / 16, 7 / 16])  # (2k - 1) / T²
    got = b.power_shares([500, 1000, 48000], 0.5)
    assert got.sum() == pytest.approx(1.0)
    assert got[0] == pytest.approx((500 / 48000) ** 1.5)


@pytest.mark.parametrize("power,every", [(1.0, 1), (2.0, 10)])
def test_rebuilt_average_equals_the_average_the_run_kept(power, every):
    """The run's weights change only at checkpoint steps (every=10: piecewise
    constant in between), so the rebuilt average is exact, not approximate."""
    b = _bench()
    m = _one_net(power)
    rng = np.random.default_rng(0)
    steps, raws, first = [], [], None
    current = None
    for k in range(1, 201):
        if (k - 1) % every == 0:  # new weights for the block (k - 1, k - 1 + every]
            current = [rng.normal(size=w.shape).astype("float32") for w in m.net.weights]
        for w, v in zip(m.net.weights, current):
            w.assign(v)
        m.finish_step()
        if k % every == 0:  # a checkpoint after update k
            steps.append(k)
            if first is None:
                first = m.averaged("net").get_weights()
            else:
                raws.append(m.net.get_weights())
    kept = m.averaged("net").get_weights()
    rebuilt = b.combine(first, raws, b.power_shares(steps, power))
    for a, r in zip(kept, rebuilt):
        np.testing.assert_allclose(a, r, rtol=1e-4, atol=1e-5)
    # And not the plain mean of the checkpoints, which a wrong share would give.
    mean = [np.mean([r[i] for r in raws], axis=0) for i in range(len(kept))]
    assert max(np.abs(a - c).max() for a, c in zip(kept, mean)) > 0.01


def test_fewer_than_two_checkpoints_are_refused(tmp_path):
    (tmp_path / "ckpt-500.index").write_text("")
    with pytest.raises(ValueError, match="holds 1 checkpoint"):
        _bench().checkpoint_steps(str(tmp_path))
    with pytest.raises(ValueError, match="3 shares for 1 weight sets"):
        _bench().combine([np.zeros(2)], [], np.ones(3))
