"""Feature statistics accumulated over batches, so memory stays flat.

Fréchet distances need only the mean and covariance: running float64 sums
of x and xxᵀ hold them in O(d²) memory however many samples stream by.
Metrics that need the features themselves (KID, precision/recall) keep at
most ``keep`` of them.
"""

from __future__ import annotations

import numpy as np


class FeatureStats:
    """Running mean/covariance of feature batches (+ an optional capped store)."""

    def __init__(self, keep: int = 0):
        self.count = 0
        self._sum = None
        self._outer = None
        self.keep = keep
        self._kept = []

    def update(self, feats) -> None:
        f = np.asarray(feats, np.float64)
        if self._sum is None:
            self._sum = np.zeros(f.shape[1])
            self._outer = np.zeros((f.shape[1], f.shape[1]))
        self._sum += f.sum(0)
        self._outer += f.T @ f
        room = self.keep - sum(len(k) for k in self._kept)
        if room > 0:
            self._kept.append(f[:room])
        self.count += len(f)

    @property
    def mean(self) -> np.ndarray:
        return self._sum / self.count

    @property
    def cov(self) -> np.ndarray:
        """Unbiased covariance (ddof = 1), like ``np.cov``."""
        m = self.mean
        return (self._outer - self.count * np.outer(m, m)) / (self.count - 1)

    @property
    def features(self):
        return np.concatenate(self._kept) if self._kept else None


def stream_features(sample_fn, feature_fn, num_samples: int, batch_size: int,
                    seed: int = 0, keep: int = 0) -> FeatureStats:
    """Draws ``num_samples`` in batches and accumulates their features.

    Args:
      sample_fn: (batch, seed) -> images; batch i uses seed ``seed * 100003 + i``.
      feature_fn: images -> features [batch, d].
      num_samples: total samples.
      batch_size: samples per call.
      seed: base seed.
      keep: how many features to keep for set-based metrics.
    """
    stats = FeatureStats(keep)
    done, i = 0, 0
    while done < num_samples:
        n = min(batch_size, num_samples - done)
        stats.update(feature_fn(sample_fn(n, seed * 100003 + i)))
        done += n
        i += 1
    return stats
