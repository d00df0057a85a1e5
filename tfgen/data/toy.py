"""2-D Gaussian mixtures of the mode-collapse benchmark.

Settings of PacGAN (Lin, Khetan, Fanti & Oh 2018, "PacGAN: The power of two
samples in generative adversarial networks", Sec. 5, Table 1), which follow
VEEGAN (Srivastava et al. 2017, "VEEGAN: Reducing mode collapse in GANs using
implicit variational learning"):

* ``ring8``: 8 Gaussians, means on the unit circle at angles 2*pi*k/8,
  standard deviation 0.01 (variance 1e-4);
* ``grid25``: 25 Gaussians, means (-4 + 2i, -4 + 2j) for i, j in {0..4},
  standard deviation 0.05 (variance 0.0025).

Mixture weights are equal. The benchmark's convention: a generated sample is
"high quality" when it lies within 3 standard deviations of its nearest
mean, and a mode is covered when some high-quality samples fall on it
(``tfgen.metrics.mixture_mode_stats`` counts both).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from tfgen.data.errors import DataError

NUM_POINTS = 100_000
SEEDS = {"train": 1234, "test": 4321}


@dataclasses.dataclass(frozen=True)
class MixtureSpec:
    """An isotropic Gaussian mixture with equal weights.

    Attributes:
      name: "ring8" or "grid25".
      centers: float64 [K, 2] component means.
      std: the standard deviation of every component along each axis.
    """

    name: str
    centers: np.ndarray
    std: float


def _ring8() -> MixtureSpec:
    a = 2 * np.pi * np.arange(8) / 8
    return MixtureSpec("ring8", np.stack([np.cos(a), np.sin(a)], 1), 0.01)


def _grid25() -> MixtureSpec:
    g = -4.0 + 2.0 * np.arange(5)
    return MixtureSpec("grid25", np.array([(x, y) for x in g for y in g], np.float64), 0.05)


MIXTURES = {"ring8": _ring8, "grid25": _grid25}


def mixture_spec(name: str) -> MixtureSpec:
    """The means and standard deviation of the mixture ``name``.

    Args:
      name: "ring8" or "grid25".

    Returns:
      A ``MixtureSpec``.
    """
    if name not in MIXTURES:
        raise DataError(f"{name!r} is not a 2-D mixture; valid: {', '.join(MIXTURES)}")
    return MIXTURES[name]()


def sample_mixture(name: str, num: int = NUM_POINTS, seed: int = SEEDS["train"]):
    """A fixed sample: components drawn uniformly, then Gaussian noise around their means.

    Args:
      name: "ring8" or "grid25".
      num: number of points.
      seed: NumPy seed of the draw.

    Returns:
      points float32 [num, 2] and their component index, int64 [num].
    """
    spec = mixture_spec(name)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(spec.centers), num)
    points = spec.centers[labels] + spec.std * rng.standard_normal((num, 2))
    return points.astype(np.float32), labels.astype(np.int64)


def load_mixture(name: str, split: str):
    """``NUM_POINTS`` points of ``name``; train and test are different fixed draws."""
    if split not in SEEDS:
        raise DataError(f"{name} has no split {split!r}; valid: {', '.join(SEEDS)}")
    return sample_mixture(name, NUM_POINTS, SEEDS[split])
