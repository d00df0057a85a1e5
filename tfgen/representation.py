"""Unsupervised representation quality of learned features.

Labels are used only here, by the classifier fitted on training-split
features, never by the encoder's training. Nearest subspace (as used for
MCR² / CTRL features, Yu et al. 2020): fit the top-k principal subspace of
each class's training features and give a test feature the class whose
subspace leaves the smallest residual. k-NN: majority vote of the k nearest
training features by cosine similarity.
"""

from __future__ import annotations

import numpy as np


def nearest_subspace_accuracy(train_feats, train_labels, test_feats, test_labels,
                              k: int = 8) -> float:
    """Accuracy of nearest-subspace classification with k-dim class subspaces."""
    train_feats = np.asarray(train_feats, np.float64)
    test_feats = np.asarray(test_feats, np.float64)
    classes = np.unique(train_labels)
    residuals = []
    for c in classes:
        fc = train_feats[train_labels == c]
        mean = fc.mean(0)
        _, _, vt = np.linalg.svd(fc - mean, full_matrices=False)
        basis = vt[:k].T
        centred = test_feats - mean
        residuals.append(np.linalg.norm(centred - centred @ basis @ basis.T, axis=1))
    pred = classes[np.argmin(np.stack(residuals, 1), axis=1)]
    return float((pred == np.asarray(test_labels)).mean())


def knn_accuracy(train_feats, train_labels, test_feats, test_labels, k: int = 5,
                 block: int = 1000) -> float:
    """Accuracy of a cosine k-NN majority vote."""
    def unit(a):
        a = np.asarray(a, np.float64)
        return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)

    tr, te = unit(train_feats), unit(test_feats)
    train_labels = np.asarray(train_labels)
    correct = 0
    for i in range(0, len(te), block):
        sim = te[i:i + block] @ tr.T
        idx = np.argpartition(-sim, k, axis=1)[:, :k]
        votes = train_labels[idx]
        pred = np.array([np.bincount(v).argmax() for v in votes])
        correct += int((pred == np.asarray(test_labels)[i:i + block]).sum())
    return correct / len(te)
