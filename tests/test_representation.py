"""Representation accuracy on features with a known answer."""

import numpy as np
import pytest

from tfgen.representation import (knn_accuracy, nearest_subspace_accuracy,
                                  representation_report)


def subspace_data(n_per, d=20, k=3, classes=4, seed=0):
    """Points on ``classes`` random k-dim subspaces of R^d (bases fixed)."""
    bases = [np.linalg.qr(b)[0] for b in np.random.default_rng(0).standard_normal((classes, d, k))]
    rng = np.random.default_rng(seed)
    feats = [rng.standard_normal((n_per, k)) @ b.T for b in bases]
    return np.concatenate(feats), np.repeat(np.arange(classes), n_per)


def test_distinct_subspaces_are_separated():
    x, y = subspace_data(200)
    xt, yt = subspace_data(100, seed=1)
    assert nearest_subspace_accuracy(x, y, xt, yt, k=3) == 1.0
    assert nearest_subspace_accuracy(x, y, xt, yt, k=3, center=False) == 1.0
    assert knn_accuracy(x, y, xt, yt) > 0.95


def test_random_labels_give_chance():
    rng = np.random.default_rng(1)
    x, xt = rng.standard_normal((800, 10)), rng.standard_normal((400, 10))
    y, yt = rng.integers(0, 4, 800), rng.integers(0, 4, 400)
    report = representation_report(x, y, xt, yt, k_subspace=3)
    assert abs(report["nearest_subspace"] - 0.25) < 0.08
    assert abs(report["knn"] - 0.25) < 0.08


def test_hand_computed_cases():
    # Class 0 on the x axis, class 1 on the y axis (1-D subspaces through 0).
    x = np.array([[1.0, 0], [-2, 0], [3, 0], [0, 1], [0, -1], [0, 2]])
    y = np.array([0, 0, 0, 1, 1, 1])
    # (3, 1): residuals 1 (x axis) and 3 (y axis) -> class 0; (1, 3) -> class 1;
    # (2, 1.5) -> residuals 1.5 and 2 -> class 0, so labelling it 1 is wrong.
    xt = np.array([[3.0, 1], [1, 3], [2, 1.5]])
    acc = nearest_subspace_accuracy(x, y, xt, [0, 1, 1], k=1, center=False)
    assert acc == pytest.approx(2 / 3)
    # Cosines of (1, 0.1) to the training points: 0.995, -0.995, 0.995 (class 0)
    # and 0.0995, -0.0995, 0.0995 (class 1): its 3 nearest are two of class 0
    # and one of class 1.
    assert knn_accuracy(x, y, [[1.0, 0.1]], [0], k=3) == 1.0
    # 5-NN adds the other y-axis point: three of class 1 against two.
    assert knn_accuracy(x, y, [[1.0, 0.1]], [0], k=5) == 0.0


def test_bad_input_fails_with_one_line():
    x, y = subspace_data(10)
    with pytest.raises(ValueError, match="one label per feature"):
        nearest_subspace_accuracy(x, y[:-1], x, y)
    with pytest.raises(ValueError, match="smallest class size"):
        nearest_subspace_accuracy(x, y, x, y, k=11)
    with pytest.raises(ValueError, match="same d"):
        knn_accuracy(x, y, x[:, :5], y)
