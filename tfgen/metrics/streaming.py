"""Feature statistics accumulated over batches, so memory stays flat.

When to use: whenever features of many samples are needed (FID at 10,000 or
50,000 samples). Fréchet distances need only the mean and covariance, which
are merged batch by batch in float64 in O(d²) memory however many samples
stream by; metrics that need the features themselves (KID,
precision/recall) ask for at most ``keep`` of them.

Batches are merged with the pairwise update of Chan, Golub & LeVeque (1979):
each batch's own mean and centred scatter matrix are combined with the
running ones, so there is no catastrophic cancellation of Σxxᵀ − n x̄x̄ᵀ
when features sit far from the origin.
"""

from __future__ import annotations

import numpy as np

SEED_STRIDE = 100003  # a prime: batch seeds of different base seeds don't collide


class FeatureStats:
    """Running mean/covariance of feature batches, plus an optional capped store.

    Attributes:
      count: samples seen.
      mean: [d] float64 mean.
      cov: [d, d] float64 unbiased covariance (ddof = 1, like ``np.cov``).
      features: the first ``keep`` features seen, [min(keep, count), d], or
        None when ``keep`` is 0.
    """

    def __init__(self, keep: int = 0):
        if keep < 0:
            raise ValueError(f"keep must be >= 0, got {keep}")
        self.keep = int(keep)
        self.count = 0
        self._mean = None
        self._scatter = None  # Σ (x − mean)(x − mean)ᵀ
        self._kept = []
        self._num_kept = 0

    def update(self, feats) -> None:
        """Adds a batch of features [b, d]."""
        f = np.asarray(feats, np.float64)
        if f.ndim != 2 or (self._mean is not None and f.shape[1] != len(self._mean)):
            want = "[b, d]" if self._mean is None else f"[b, {len(self._mean)}]"
            raise ValueError(f"features must be {want}, got shape {f.shape}; flatten "
                             "them to one vector per sample")
        b = len(f)
        if b == 0:
            return
        mean_b = f.mean(0)
        centred = f - mean_b
        scatter_b = centred.T @ centred
        if self._mean is None:
            self._mean, self._scatter = mean_b, scatter_b
        else:
            n = self.count + b
            delta = mean_b - self._mean
            self._scatter += scatter_b + np.outer(delta, delta) * (self.count * b / n)
            self._mean = self._mean + delta * (b / n)
        self.count += b
        room = self.keep - self._num_kept
        if room > 0:
            self._kept.append(f[:room].copy())  # a copy: don't pin the whole batch
            self._num_kept += len(self._kept[-1])

    def _need(self, n):
        if self.count < n:
            raise ValueError(f"need at least {n} samples, have {self.count}")

    @property
    def mean(self) -> np.ndarray:
        self._need(1)
        return self._mean.copy()

    @property
    def cov(self) -> np.ndarray:
        self._need(2)
        return self._scatter / (self.count - 1)

    @property
    def features(self):
        return np.concatenate(self._kept) if self._kept else None


def stream_features(sample_fn, feature_fn, num_samples: int, batch_size: int,
                    seed: int = 0, keep: int = 0) -> FeatureStats:
    """Draws ``num_samples`` in batches and accumulates their features.

    Args:
      sample_fn: (n, seed) -> images. Batch i gets seed
        ``seed * 100003 + i``; every call asks for ``batch_size`` samples
        except the last, which asks for the remainder, so that a
        ``feature_fn`` with side effects sees exactly ``num_samples``.
      feature_fn: images -> features [n, d] (NumPy or anything
        ``np.asarray`` accepts).
      num_samples: total samples, >= 2.
      batch_size: samples per call, >= 1.
      seed: base seed.
      keep: how many features to keep for set-based metrics (KID,
        precision/recall); 0 keeps none and memory stays O(d²).

    Returns:
      A :class:`FeatureStats` with ``.mean``, ``.cov``, ``.count`` and
      ``.features`` (None when ``keep`` is 0).
    """
    if num_samples < 2 or batch_size < 1:
        raise ValueError(f"need num_samples >= 2 and batch_size >= 1, got {num_samples} "
                         f"and {batch_size}")
    stats = FeatureStats(keep)
    for i, start in enumerate(range(0, num_samples, batch_size)):
        n = min(batch_size, num_samples - start)
        feats = np.asarray(feature_fn(sample_fn(n, seed * SEED_STRIDE + i)))
        if len(feats) != n:
            raise ValueError(f"feature_fn returned {len(feats)} rows for a batch of {n}; "
                             "it must return one feature vector per image")
        stats.update(feats)
    return stats
