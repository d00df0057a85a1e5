"""Kernel Inception Distance: unbiased MMD² with a cubic polynomial kernel.

When to use: instead of (or next to) FID when fewer than about 5,000
samples are available, or to compare models evaluated at different sample
counts. Its estimator is unbiased, so its expectation does not depend on n,
and it comes with a spread over subsets. It needs the features themselves
(``stream_features(..., keep=...)``), not only their moments.

Bińkowski, Sutherland, Arbel & Gretton 2018, "Demystifying MMD GANs":
k(x, y) = (xᵀy / d + 1)³ and the unbiased estimator

  MMD²_u = Σ_{i≠j} k(x_i, x_j) / (m(m−1)) + Σ_{i≠j} k(y_i, y_j) / (n(n−1))
           − 2 Σ_{i,j} k(x_i, y_j) / (mn),

averaged over random subsets (drawn without replacement within a subset).
"""

from __future__ import annotations

import numpy as np


def polynomial_kernel(x, y) -> np.ndarray:
    """k(x, y) = (xᵀy / d + 1)³ for all pairs of rows: [m, d], [n, d] -> [m, n]."""
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def _as_features(a, name):
    a = np.asarray(a, np.float64)
    if a.ndim != 2 or len(a) < 2:
        raise ValueError(f"{name} must be [N >= 2, d] features, got shape {a.shape}")
    return a


def mmd2_unbiased(x, y) -> float:
    """Unbiased MMD² between samples x and y with the cubic polynomial kernel.

    Args:
      x: [m, d] features, m >= 2.
      y: [n, d] features, n >= 2.

    Returns:
      MMD²_u as a Python float (can be slightly negative: it is unbiased).
    """
    x, y = _as_features(x, "x"), _as_features(y, "y")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"feature sizes differ: {x.shape[1]} vs {y.shape[1]}")
    m, n = len(x), len(y)
    kxx, kyy = polynomial_kernel(x, x), polynomial_kernel(y, y)
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
                 + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2.0 * polynomial_kernel(x, y).mean())


def kernel_inception_distance(real, fake, num_subsets: int = 100,
                              subset_size: int = 1000, seed: int = 0):
    """KID: mean and spread of MMD²_u over random subsets.

    Args:
      real: [N, d] features of real samples.
      fake: [M, d] features of generated samples.
      num_subsets: how many subset pairs to average over.
      subset_size: samples per subset, clipped to min(N, M).
      seed: seed of the subset draws.

    Returns:
      (mean, std) as Python floats; std is the standard deviation of the
      per-subset estimates (ddof = 0, as in the paper's code), not the
      standard error of the mean.
    """
    real, fake = _as_features(real, "real"), _as_features(fake, "fake")
    if num_subsets < 1:
        raise ValueError(f"num_subsets must be >= 1, got {num_subsets}")
    size = min(subset_size, len(real), len(fake))
    if size < 2:
        raise ValueError(f"subset_size must be >= 2, got {subset_size}")
    rng = np.random.default_rng(seed)
    vals = [mmd2_unbiased(real[rng.choice(len(real), size, replace=False)],
                          fake[rng.choice(len(fake), size, replace=False)])
            for _ in range(num_subsets)]
    return float(np.mean(vals)), float(np.std(vals))
