"""Mode coverage of 2-D Gaussian mixtures and of Stacked MNIST.

When to use: for data whose modes are known (``ring8``, ``grid25``, Stacked
MNIST's 1,000 digit triples), to measure mode collapse directly rather
than through a feature distance. Conventions of the PacGAN (Lin et al.
2018) and VEEGAN (Srivastava et al. 2017) tables, so that the numbers can
be set beside theirs (they draw 2,500 samples for the 2-D mixtures and
26,000 for Stacked MNIST):

* a sample is *high quality* when it lies within ``threshold`` = 3
  standard deviations of its nearest mode;
* a mode is *covered* when at least ``min_count`` high-quality samples fall
  to it. The default is 1, the PacGAN/VEEGAN rule (their code counts the
  modes with a non-zero count). Pass a larger ``min_count`` to ignore a
  few stray samples, e.g. 1% of the N/K an even split would give;
* ``kl_to_uniform`` is KL(q || uniform) of the histogram q of the
  high-quality samples over the K modes (PacGAN's "reverse KL"):
  Σ_k q_k log(K q_k). Empty modes are handled by the limit of additive
  smoothing as the pseudo-count goes to 0, i.e. 0 · log 0 = 0: in this
  direction the divergence stays finite without a smoothing constant that
  would bias it. With no high-quality sample at all, q is undefined and the
  value is ``inf``.
"""

from __future__ import annotations

import numpy as np

STACKED_MNIST_MODES = 1000


def kl_to_uniform(counts) -> float:
    """KL(counts / sum || uniform over len(counts)), with 0 · log 0 = 0.

    Args:
      counts: [K] non-negative histogram.

    Returns:
      The divergence in nats (0 for an even histogram, log K for one mode),
      ``inf`` when every count is 0.
    """
    counts = np.asarray(counts, np.float64)
    total = counts.sum()
    if total <= 0:
        return float("inf")
    q = counts[counts > 0] / total
    return float(np.sum(q * np.log(q * len(counts))))


def mixture_mode_stats(samples, centers, std: float, threshold: float = 3.0,
                       min_count: int | None = None) -> dict:
    """Modes covered, high-quality fraction and KL for a 2-D Gaussian mixture.

    Args:
      samples: generated points [N, 2] (any dimension that matches centers).
      centers: the mixture means [K, 2].
      std: the components' (isotropic) standard deviation.
      threshold: a sample is high quality within threshold · std of the
        nearest mean.
      min_count: high-quality samples a mode needs to count as covered;
        None means 1 (PacGAN/VEEGAN).

    Returns:
      dict(modes_covered=int, num_modes=int, high_quality_fraction=float,
      kl_to_uniform=float, num_samples=int).
    """
    x, c = np.asarray(samples, np.float64), np.asarray(centers, np.float64)
    if x.ndim != 2 or c.ndim != 2 or x.shape[1] != c.shape[1]:
        raise ValueError(f"need samples [N, D] and centers [K, D], got {x.shape} and {c.shape}")
    if len(x) == 0 or std <= 0:
        raise ValueError(f"need at least one sample and std > 0, got N={len(x)}, std={std}")
    min_count = 1 if min_count is None else int(min_count)
    sq = ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)
    nearest = sq.argmin(1)
    good = sq[np.arange(len(x)), nearest] <= (threshold * std) ** 2
    counts = np.bincount(nearest[good], minlength=len(c))
    return {
        "modes_covered": int((counts >= min_count).sum()),
        "num_modes": int(len(c)),
        "high_quality_fraction": float(good.mean()),
        "kl_to_uniform": kl_to_uniform(counts),
        "num_samples": int(len(x)),
    }


def stacked_mnist_mode_stats(labels_pred, min_count: int = 1) -> dict:
    """Modes covered (of 1,000) and KL to uniform for Stacked MNIST.

    Args:
      labels_pred: [N] predicted mode per sample, 100·d0 + 10·d1 + d2, from
        a digit classifier applied to each of the three channels.
      min_count: samples a mode needs to count as covered (PacGAN: 1).

    Returns:
      dict(modes_covered=int, num_modes=1000, kl_to_uniform=float,
      num_samples=int).
    """
    labels = np.asarray(labels_pred)
    if labels.ndim != 1 or len(labels) == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels_pred must be a non-empty 1-D integer array, got "
                         f"{labels.dtype} {labels.shape}")
    if labels.min() < 0 or labels.max() >= STACKED_MNIST_MODES:
        raise ValueError("labels_pred must be in [0, 999] (100·d0 + 10·d1 + d2), got "
                         f"[{labels.min()}, {labels.max()}]")
    counts = np.bincount(labels, minlength=STACKED_MNIST_MODES)
    return {"modes_covered": int((counts >= min_count).sum()),
            "num_modes": STACKED_MNIST_MODES,
            "kl_to_uniform": kl_to_uniform(counts),
            "num_samples": int(len(labels))}
