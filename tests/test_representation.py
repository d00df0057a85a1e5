"""Representation accuracy on features with a known answer."""

import numpy as np

from tfgen.representation import knn_accuracy, nearest_subspace_accuracy


def subspace_data(n_per, d=20, k=3, classes=4, seed=0):
    bases = [np.linalg.qr(b)[0] for b in np.random.default_rng(0).standard_normal((classes, d, k))]
    rng = np.random.default_rng(seed)
    feats, labels = [], []
    for c in range(classes):
        feats.append(rng.standard_normal((n_per, k)) @ bases[c].T)
        labels += [c] * n_per
    return np.concatenate(feats), np.array(labels)


def test_distinct_subspaces_are_separated():
    x, y = subspace_data(200)
    xt, yt = subspace_data(100, seed=1)
    assert nearest_subspace_accuracy(x, y, xt, yt, k=3) > 0.99
    assert knn_accuracy(x, y, xt, yt) > 0.9


def test_random_labels_give_chance():
    rng = np.random.default_rng(1)
    x, xt = rng.standard_normal((800, 10)), rng.standard_normal((400, 10))
    y, yt = rng.integers(0, 4, 800), rng.integers(0, 4, 400)
    assert abs(nearest_subspace_accuracy(x, y, xt, yt, k=3) - 0.25) < 0.08
    assert abs(knn_accuracy(x, y, xt, yt) - 0.25) < 0.08
