"""Mode coverage of 2-D mixtures and Stacked MNIST.

Conventions of the PacGAN (Lin et al. 2018) and VEEGAN (Srivastava et al.
2017) tables:

* a sample is *high quality* when it lies within ``threshold`` (3) standard
  deviations of its nearest mode;
* a mode is *covered* when it receives at least ``min_count`` high-quality
  samples. We default to 1% of the count an even split would give it
  (at least 1), so that a few stray samples do not count as a mode while a
  sparsely drawn mode still does;
* the KL divergence of the histogram of high-quality samples over modes from
  the uniform distribution, with empty modes smoothed by a pseudo-count of
  1e-10 so that the value stays finite.
"""

from __future__ import annotations

import numpy as np


def _kl_to_uniform(counts: np.ndarray) -> float:
    counts = np.asarray(counts, np.float64)
    if counts.sum() == 0:
        return float("inf")
    p = (counts + 1e-10) / (counts + 1e-10).sum()
    return float(np.sum(p * np.log(p * len(p))))


def mixture_mode_stats(samples, centers, std: float, threshold: float = 3.0,
                       min_count: int | None = None) -> dict:
    """Modes covered, high-quality fraction and KL for a 2-D Gaussian mixture.

    Args:
      samples: generated points [N, 2].
      centers: the mixture means [K, 2].
      std: the components' standard deviation.
      threshold: high quality = within threshold·std of the nearest mean.
      min_count: high-quality samples a mode needs to count as covered
        (default max(1, 0.01·N/K)).

    Returns:
      dict(modes_covered, num_modes, high_quality_fraction, kl_to_uniform,
      num_samples).
    """
    x = np.asarray(samples, np.float64)
    c = np.asarray(centers, np.float64)
    k = len(c)
    if min_count is None:
        min_count = max(1, int(0.01 * len(x) / k))
    dist = np.linalg.norm(x[:, None, :] - c[None, :, :], axis=-1)
    nearest = dist.argmin(1)
    good = dist[np.arange(len(x)), nearest] <= threshold * std
    counts = np.bincount(nearest[good], minlength=k)
    return {
        "modes_covered": int((counts >= min_count).sum()),
        "num_modes": k,
        "high_quality_fraction": float(good.mean()) if len(x) else 0.0,
        "kl_to_uniform": _kl_to_uniform(counts),
        "num_samples": int(len(x)),
    }


def stacked_mnist_mode_stats(labels_pred, min_count: int = 1) -> dict:
    """Modes covered (of 1,000) and KL to uniform from predicted triples.

    Args:
      labels_pred: per-sample mode index 100·d0 + 10·d1 + d2 from a digit
        classifier applied to each channel.
      min_count: samples a mode needs to count as covered.
    """
    labels = np.asarray(labels_pred, np.int64)
    counts = np.bincount(labels, minlength=1000)[:1000]
    return {"modes_covered": int((counts >= min_count).sum()), "num_modes": 1000,
            "kl_to_uniform": _kl_to_uniform(counts), "num_samples": int(len(labels))}
