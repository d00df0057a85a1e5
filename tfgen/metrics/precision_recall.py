"""Improved precision and recall (Kynkäänniemi et al. 2019).

Each set's manifold is the union of balls around its points with radius the
distance to the point's k-th nearest neighbour (itself excluded). Precision:
fraction of generated samples inside the real manifold; recall: fraction of
real samples inside the generated manifold. Distances are computed in
blocks, so memory stays bounded for 10,000 × 10,000 comparisons.
"""

from __future__ import annotations

import numpy as np


def _sq_dists(a, b):
    return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None] - 2 * a @ b.T, 0.0)


def _kth_radii(x, k, block):
    radii = np.empty(len(x))
    for i in range(0, len(x), block):
        d = _sq_dists(x[i:i + block], x)
        radii[i:i + block] = np.sqrt(np.partition(d, k, axis=1)[:, k])  # [:, 0] is self
    return radii


def _inside(queries, points, radii, block):
    hit = np.zeros(len(queries), bool)
    for i in range(0, len(queries), block):
        d = np.sqrt(_sq_dists(queries[i:i + block], points))
        hit[i:i + block] = (d <= radii[None]).any(1)
    return hit


def precision_recall(real, fake, k: int = 3, block: int = 1000) -> dict:
    """dict(precision, recall) of fake vs real features."""
    r, f = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if len(r) <= k or len(f) <= k:
        raise ValueError(f"need more than k={k} samples in each set")
    precision = _inside(f, r, _kth_radii(r, k, block), block).mean()
    recall = _inside(r, f, _kth_radii(f, k, block), block).mean()
    return {"precision": float(precision), "recall": float(recall)}
