"""Mode metrics on synthetic samples whose answer is known."""

import math

import numpy as np
import pytest

from tfgen import data
from tfgen.metrics import kl_to_uniform, mixture_mode_stats, stacked_mnist_mode_stats


def ring8_centers():
    # Independent of tfgen.data: 8 modes on the unit circle.
    a = 2 * np.pi * np.arange(8) / 8
    return np.stack([np.cos(a), np.sin(a)], 1)


def test_spec_of_the_data_matches_the_papers_mixtures():
    ring, grid = data.mixture_spec("ring8"), data.mixture_spec("grid25")
    np.testing.assert_allclose(np.sort(np.linalg.norm(ring.centers, axis=1)), np.ones(8))
    assert ring.std == pytest.approx(0.01) and grid.std == pytest.approx(0.05)
    want = {(-4 + 2 * i, -4 + 2 * j) for i in range(5) for j in range(5)}
    assert {tuple(np.round(c).astype(int)) for c in grid.centers} == want


def test_five_of_eight_ring_modes():
    centers, std = ring8_centers(), 0.01
    rng = np.random.default_rng(0)
    modes = rng.integers(0, 5, 4000)
    pts = centers[modes] + std * rng.standard_normal((4000, 2))
    far = np.full((1000, 2), 5.0)  # 1,000 samples far from any mode
    stats = mixture_mode_stats(np.concatenate([pts, far]), centers, std)
    assert stats["modes_covered"] == 5 and stats["num_samples"] == 5000
    # In 2-D, P(|z| <= 3) = 1 - exp(-9/2) for the near samples; 0 for the far ones.
    assert stats["high_quality_fraction"] == pytest.approx(0.8 * (1 - math.exp(-4.5)), abs=0.01)
    assert stats["kl_to_uniform"] == pytest.approx(math.log(8 / 5), abs=0.01)


def test_high_quality_boundary_is_three_std():
    centers, std = ring8_centers(), 0.01
    offsets = np.array([[2.9, 0.0], [0.0, -2.99], [3.01, 0.0], [0.0, 4.0]]) * std
    stats = mixture_mode_stats(centers[:4] + offsets, centers, std)
    assert stats["high_quality_fraction"] == 0.5 and stats["modes_covered"] == 2
    assert mixture_mode_stats(centers[:4] + offsets, centers, std,
                              threshold=5.0)["modes_covered"] == 4


def test_kl_golden_values():
    centers, std = ring8_centers(), 0.01
    five = mixture_mode_stats(np.repeat(centers[:5], 100, axis=0), centers, std)
    assert five["modes_covered"] == 5
    assert five["kl_to_uniform"] == pytest.approx(math.log(8 / 5), rel=1e-12)
    full = mixture_mode_stats(np.repeat(centers, 10, axis=0), centers, std)
    assert full["modes_covered"] == 8 and full["kl_to_uniform"] == pytest.approx(0, abs=1e-12)
    one = mixture_mode_stats(np.repeat(centers[:1], 7, axis=0), centers, std)
    assert one["kl_to_uniform"] == pytest.approx(math.log(8), rel=1e-12)
    # Uneven counts, against the definition written out: q = (3/4, 1/4, 0, ...).
    assert kl_to_uniform([3, 1, 0, 0]) == pytest.approx(
        0.75 * math.log(0.75 * 4) + 0.25 * math.log(0.25 * 4), rel=1e-12)
    nowhere = mixture_mode_stats(np.full((10, 2), 9.0), centers, std)
    assert nowhere["modes_covered"] == 0 and nowhere["high_quality_fraction"] == 0.0
    assert nowhere["kl_to_uniform"] == math.inf


def test_data_from_the_mixture_covers_every_grid_mode():
    x, _ = data.load_arrays("grid25")
    spec = data.mixture_spec("grid25")
    stats = mixture_mode_stats(x[:5000], spec.centers, spec.std)
    assert stats["modes_covered"] == 25
    assert stats["high_quality_fraction"] == pytest.approx(1 - math.exp(-4.5), abs=0.01)
    assert stats["kl_to_uniform"] < 0.01


def test_min_count_default_is_one_sample_like_pacgan():
    centers, std = ring8_centers(), 0.01
    pts = np.concatenate([np.repeat(centers[:1], 4000, 0), centers[1:2]])
    assert mixture_mode_stats(pts, centers, std)["modes_covered"] == 2
    assert mixture_mode_stats(pts, centers, std, min_count=5)["modes_covered"] == 1


def test_mode_stats_reject_bad_input():
    with pytest.raises(ValueError, match="centers"):
        mixture_mode_stats(np.zeros((5, 3)), ring8_centers(), 0.01)
    with pytest.raises(ValueError, match=r"\[0, 999\]"):
        stacked_mnist_mode_stats(np.array([3, 1000]))


def test_stacked_mnist_modes():
    stats = stacked_mnist_mode_stats(np.array([5, 5, 123, 999, 0]))
    assert stats["modes_covered"] == 4 and stats["num_modes"] == 1000
    assert stacked_mnist_mode_stats(np.array([5, 5, 123]), min_count=2)["modes_covered"] == 1
    uniform = stacked_mnist_mode_stats(np.tile(np.arange(1000), 3))
    assert uniform["modes_covered"] == 1000
    assert uniform["kl_to_uniform"] == pytest.approx(0, abs=1e-12)
    half = stacked_mnist_mode_stats(np.arange(0, 1000, 2))  # 500 modes, evenly
    assert half["modes_covered"] == 500
    assert half["kl_to_uniform"] == pytest.approx(math.log(2), rel=1e-12)
    # Labels built from per-channel digits: 100·d0 + 10·d1 + d2.
    d = np.random.default_rng(0).integers(0, 10, (26000, 3))
    stats = stacked_mnist_mode_stats(100 * d[:, 0] + 10 * d[:, 1] + d[:, 2])
    assert stats["modes_covered"] == 1000 and stats["kl_to_uniform"] < 0.03
