"""2-D Gaussian mixtures for mode-coverage experiments.

The settings are those of the PacGAN benchmark (Lin et al. 2018, "PacGAN:
The power of two samples in generative adversarial networks", Sec. 5 and
Table 1), which follows VEEGAN (Srivastava et al. 2017):

* ``ring8``: 8 Gaussians with means on the unit circle at angles 2πk/8,
  standard deviation 0.01 (variance 1e-4);
* ``grid25``: 25 Gaussians with means (−4 + 2i, −4 + 2j), i, j ∈ {0..4},
  standard deviation 0.05 (variance 0.0025).

Mixture weights are equal. A generated sample counts as high quality when
it lies within 3 standard deviations of its nearest mean, and a mode is
covered when it receives high-quality samples (see ``tfgen.metrics``).
"""

from __future__ import annotations

import dataclasses

import numpy as np

NUM_POINTS = 100_000


@dataclasses.dataclass(frozen=True)
class MixtureSpec:
    name: str
    centers: np.ndarray  # float64 [K, 2]
    std: float


def _ring8() -> MixtureSpec:
    a = 2 * np.pi * np.arange(8) / 8
    return MixtureSpec("ring8", np.stack([np.cos(a), np.sin(a)], 1), 0.01)


def _grid25() -> MixtureSpec:
    g = np.arange(-4.0, 5.0, 2.0)
    centers = np.array([(x, y) for x in g for y in g], np.float64)
    return MixtureSpec("grid25", centers, 0.05)


MIXTURES = {"ring8": _ring8, "grid25": _grid25}


def mixture_spec(name: str) -> MixtureSpec:
    from tfgen.data.errors import DataError

    if name not in MIXTURES:
        raise DataError(f"{name!r} is not a 2-D mixture; valid: {', '.join(MIXTURES)}")
    return MIXTURES[name]()


def sample_mixture(name: str, num: int = NUM_POINTS, seed: int = 1234):
    """A fixed draw: points float32 [num, 2] and component labels int64."""
    spec = mixture_spec(name)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(spec.centers), num)
    pts = spec.centers[labels] + spec.std * rng.standard_normal((num, 2))
    return pts.astype(np.float32), labels.astype(np.int64)


def reference_points(name: str):
    """The mode centres to draw under 2-D sample plots, or None (not a mixture)."""
    return mixture_spec(name).centers if name in MIXTURES else None
