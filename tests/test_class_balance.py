"""The ``classes`` metric: how often a generator draws each class, against the
real data, under the project classifier (tfgen.metrics.scores.class_balance)."""

import numpy as np
import pytest

from tfgen import data, evaluation, metrics


def _onehot(labels, k=4, p=0.95):
    out = np.full((len(labels), k), (1 - p) / (k - 1))
    out[np.arange(len(labels)), labels] = p
    return out


def test_class_balance_against_hand_values():
    fake = _onehot([0, 0, 0, 1, 1, 2, 2, 2])  # 3/8, 2/8, 3/8, 0
    real = _onehot([0, 1, 2, 3])  # 1/4 each
    fake[0] = [0.5, 0.3, 0.1, 0.1]  # still class 0, not confident
    out = metrics.class_balance(fake, real)
    assert out["fake"] == [0.375, 0.25, 0.375, 0.0] and out["real"] == [0.25] * 4
    # ½ (0.125 + 0 + 0.125 + 0.25) = 0.25
    assert out["total_variation"] == pytest.approx(0.25)
    assert out["most_over"] == {"class": 0, "ratio": 1.5}
    assert out["most_under"] == {"class": 3, "ratio": 0.0}
    assert out["confident_fraction"] == pytest.approx(7 / 8)


def test_class_balance_rejects_mismatched_classes():
    with pytest.raises(ValueError, match="same K"):
        metrics.class_balance(np.ones((3, 4)) / 4, np.ones((3, 5)) / 5)


def test_classes_metric_sees_a_sampler_that_draws_only_sevens(shared_data):
    x, y = data.load_arrays("mnist", "test", shared_data)
    sevens = x[y == 7]

    def only_sevens(n, seed):
        return sevens[np.random.default_rng(seed).choice(len(sevens), n)]

    def like_test(n, seed):
        return x[np.random.default_rng(seed).choice(len(x), n)]

    kw = dict(metric_names=["classes"], num_samples=500, data_dir=shared_data)
    bad = evaluation.evaluate_sampler(only_sevens, "mnist", **kw)["metrics"]["class_balance"]
    good = evaluation.evaluate_sampler(like_test, "mnist", **kw)["metrics"]["class_balance"]
    # The real side is the classifier on the test set: close to its label frequencies.
    freq = np.bincount(y, minlength=10) / len(y)
    assert np.abs(np.array(bad["real"]) - freq).max() < 0.01
    assert bad["fake"][7] > 0.97 and bad["most_over"]["class"] == 7
    assert bad["total_variation"] > 0.85
    assert good["total_variation"] < 0.06 and good["confident_fraction"] > 0.95
