"""Mode metrics on synthetic samples with a known answer."""

import math

import numpy as np
import pytest

from tfgen import data
from tfgen.metrics import mixture_mode_stats, stacked_mnist_mode_stats


def test_five_of_eight_ring_modes():
    spec = data.mixture_spec("ring8")
    rng = np.random.default_rng(0)
    modes = rng.integers(0, 5, 4000)
    pts = spec.centers[modes] + spec.std * rng.standard_normal((4000, 2))
    far = np.full((1000, 2), 5.0)  # 1,000 samples far from any mode
    stats = mixture_mode_stats(np.concatenate([pts, far]), spec.centers, spec.std)
    assert stats["modes_covered"] == 5
    # Within 3 std in 2-D: 1 - exp(-9/2) of the near samples are high quality.
    assert stats["high_quality_fraction"] == pytest.approx(0.8 * (1 - math.exp(-4.5)), abs=0.01)


def test_kl_of_equal_counts_on_five_modes_is_log_ratio():
    spec = data.mixture_spec("ring8")
    pts = np.repeat(spec.centers[:5], 100, axis=0)
    stats = mixture_mode_stats(pts, spec.centers, spec.std)
    assert stats["kl_to_uniform"] == pytest.approx(math.log(8 / 5), rel=1e-6)
    full = mixture_mode_stats(np.repeat(spec.centers, 10, axis=0), spec.centers, spec.std)
    assert full["modes_covered"] == 8 and full["kl_to_uniform"] == pytest.approx(0, abs=1e-9)


def test_data_from_the_mixture_covers_every_grid_mode():
    x, _ = data.load_arrays("grid25")
    spec = data.mixture_spec("grid25")
    stats = mixture_mode_stats(x[:5000], spec.centers, spec.std)
    assert stats["modes_covered"] == 25
    assert stats["high_quality_fraction"] > 0.98


def test_stray_samples_below_min_count_do_not_cover_a_mode():
    spec = data.mixture_spec("ring8")
    pts = np.concatenate([np.repeat(spec.centers[:1], 4000, 0), spec.centers[1:2]])
    assert mixture_mode_stats(pts, spec.centers, spec.std)["modes_covered"] == 1


def test_stacked_mnist_modes():
    labels = np.array([5, 5, 123, 999, 0])
    stats = stacked_mnist_mode_stats(labels)
    assert stats["modes_covered"] == 4
    uniform = stacked_mnist_mode_stats(np.arange(1000))
    assert uniform["kl_to_uniform"] == pytest.approx(0, abs=1e-9)
