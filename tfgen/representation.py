"""Unsupervised representation quality of learned features (pure NumPy).

Labels are used only here, by classifiers fitted on training-split
features, never by the encoder's training (CoA-CTRL Sec. 4.4, Table 13).

* Nearest subspace (as used for MCR² / CTRL features, Yu et al. 2020;
  Dai et al. 2022): fit the top-k principal subspace of each class's training
  features; a test feature gets the class whose subspace leaves the smallest
  residual ‖(I − UUᵀ)(z − μ)‖ (μ = 0 with ``center=False``).
* k-NN: majority vote among the k nearest training features by cosine
  similarity (ties go to the smallest label).
"""

from __future__ import annotations

import numpy as np


def _check(train_feats, train_labels, test_feats, test_labels):
    tr, te = np.asarray(train_feats, np.float64), np.asarray(test_feats, np.float64)
    ytr, yte = np.asarray(train_labels).astype(np.int64), np.asarray(test_labels).astype(np.int64)
    if tr.ndim != 2 or te.ndim != 2 or tr.shape[1] != te.shape[1]:
        raise ValueError(f"features must be [n, d] with the same d, got {tr.shape} and {te.shape}")
    if len(tr) != len(ytr) or len(te) != len(yte):
        raise ValueError(f"{len(tr)}/{len(te)} features but {len(ytr)}/{len(yte)} labels; "
                         "pass one label per feature")
    if len(tr) == 0 or len(te) == 0:
        raise ValueError("need at least one training and one test feature")
    if ytr.min() < 0 or yte.min() < 0:
        raise ValueError("labels must be non-negative integers")
    return tr, ytr, te, yte


def nearest_subspace_accuracy(train_feats, train_labels, test_feats, test_labels,
                              k: int = 8, center: bool = True) -> float:
    """Accuracy of nearest-subspace classification.

    Args:
      train_feats: [n, d] features of labelled training images.
      train_labels: [n] integer labels.
      test_feats: [m, d] features of held-out images.
      test_labels: [m] integer labels.
      k: dimension of each class's principal subspace.
      center: subtract each class's mean first (PCA); False fits a subspace
        through the origin (SVD).

    Returns:
      The fraction of test features whose nearest class subspace is their class.
    """
    tr, ytr, te, yte = _check(train_feats, train_labels, test_feats, test_labels)
    classes, counts = np.unique(ytr, return_counts=True)
    if not 1 <= k <= min(tr.shape[1], counts.min()):
        raise ValueError(f"k={k} must be in [1, min(d, smallest class size)] = "
                         f"[1, {min(tr.shape[1], counts.min())}]")
    residuals = []
    for c in classes:
        fc = tr[ytr == c]
        mean = fc.mean(0) if center else np.zeros(tr.shape[1])
        basis = np.linalg.svd(fc - mean, full_matrices=False)[2][:k].T  # [d, k]
        centred = te - mean
        residuals.append(np.linalg.norm(centred - centred @ basis @ basis.T, axis=1))
    pred = classes[np.argmin(np.stack(residuals, 1), axis=1)]
    return float(np.mean(pred == yte))


def knn_accuracy(train_feats, train_labels, test_feats, test_labels, k: int = 5,
                 block: int = 1000) -> float:
    """Accuracy of a cosine-similarity k-NN majority vote.

    Args:
      train_feats, train_labels, test_feats, test_labels: as in
        :func:`nearest_subspace_accuracy`.
      k: neighbours per vote.
      block: test features per similarity block (bounds memory).

    Returns:
      The fraction of test features whose vote is their class.
    """
    tr, ytr, te, yte = _check(train_feats, train_labels, test_feats, test_labels)
    if not 1 <= k <= len(tr):
        raise ValueError(f"k={k} must be in [1, number of training features {len(tr)}]")

    def unit(a):
        return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)

    tr, te = unit(tr), unit(te)
    num_classes = int(ytr.max()) + 1
    correct = 0
    for i in range(0, len(te), block):
        sim = te[i:i + block] @ tr.T
        idx = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        votes = np.zeros((len(idx), num_classes), np.int64)
        np.add.at(votes, (np.arange(len(idx))[:, None], ytr[idx]), 1)
        correct += int(np.sum(votes.argmax(1) == yte[i:i + block]))
    return correct / len(te)


def representation_report(train_feats, train_labels, test_feats, test_labels,
                          k_subspace: int = 8, k_nn: int = 5) -> dict:
    """Both accuracies as a JSON-ready dict."""
    return {"nearest_subspace": nearest_subspace_accuracy(
                train_feats, train_labels, test_feats, test_labels, k=k_subspace),
            "knn": knn_accuracy(train_feats, train_labels, test_feats, test_labels, k=k_nn),
            "k_subspace": k_subspace, "k_nn": k_nn}
