"""Improved precision and recall (Kynkäänniemi et al. 2019).

When to use: to tell *why* FID/KID is bad. Precision (fidelity: how much of
the generated set looks real) and recall (coverage: how much of the real
set the generator reaches) separate blurry-but-diverse from sharp-but-
collapsed models, which a single distance cannot. Needs the features
themselves (a few thousand per set; the paper uses 50,000 and k = 3).

Each set's manifold is the union of balls centred on its points, with
radius the distance to the point's k-th nearest neighbour in the same set
(itself excluded). Precision: fraction of generated samples inside the real
manifold; recall: fraction of real samples inside the generated manifold.
Pairwise distances are computed in row blocks of at most ``2**22`` entries
(32 MiB), so memory stays bounded for 10,000 × 10,000 comparisons and more.
"""

from __future__ import annotations

import numpy as np

BLOCK_ELEMENTS = 2 ** 22


def _sq_dists(a, b, b_sq):
    """Squared Euclidean distances [len(a), len(b)], built in place."""
    d = a @ b.T
    d *= -2.0
    d += (a * a).sum(1)[:, None]
    d += b_sq[None]
    return d


def _rows(block, n_cols):
    return block or max(1, BLOCK_ELEMENTS // max(n_cols, 1))


def _kth_sq_radii(x, k, block):
    x_sq = (x * x).sum(1)
    out = np.empty(len(x))
    step = _rows(block, len(x))
    for i in range(0, len(x), step):
        d = _sq_dists(x[i:i + step], x, x_sq)
        out[i:i + step] = np.partition(d, k, axis=1)[:, k]  # column 0 is the point itself
    return np.maximum(out, 0.0)


def _inside(queries, points, sq_radii, block):
    p_sq = (points * points).sum(1)
    hit = np.zeros(len(queries), bool)
    step = _rows(block, len(points))
    for i in range(0, len(queries), step):
        d = _sq_dists(queries[i:i + step], points, p_sq)
        hit[i:i + step] = (d <= sq_radii[None]).any(1)
    return hit


def precision_recall(real_feats, fake_feats, k: int = 3, block: int | None = None) -> dict:
    """Improved precision and recall of generated features against real ones.

    Args:
      real_feats: [N, d] features of real samples, N > k.
      fake_feats: [M, d] features of generated samples, M > k.
      k: the neighbour whose distance sets each ball's radius (paper: 3).
      block: rows of the distance matrix computed at once; None picks
        ``2**22 // columns`` rows so that a block is at most 32 MiB.

    Returns:
      dict(precision=float, recall=float), each in [0, 1].
    """
    r, f = np.asarray(real_feats, np.float64), np.asarray(fake_feats, np.float64)
    if r.ndim != 2 or f.ndim != 2 or r.shape[1] != f.shape[1]:
        raise ValueError(f"need real [N, d] and fake [M, d] features, got {r.shape} "
                         f"and {f.shape}")
    if k < 1 or len(r) <= k or len(f) <= k:
        raise ValueError(f"need k >= 1 and more than k={k} samples in each set, got "
                         f"{len(r)} real and {len(f)} fake")
    # Distances are translation invariant; centring cuts the cancellation in
    # |a|² + |b|² − 2aᵀb when features sit far from the origin.
    centre = r.mean(0)
    r, f = r - centre, f - centre
    precision = _inside(f, r, _kth_sq_radii(r, k, block), block).mean()
    recall = _inside(r, f, _kth_sq_radii(f, k, block), block).mean()
    return {"precision": float(precision), "recall": float(recall)}
