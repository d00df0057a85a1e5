"""Metric maths against independent float64 references (SciPy / loops)."""

import gzip
import os

import numpy as np
import pytest
import scipy.linalg

from tfgen import metrics


def scipy_fid(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean))


def mnist_features(shared_data, n=2000, d=32, offset=0):
    raw = gzip.open(os.path.join(shared_data, "mnist", "t10k-images-idx3-ubyte.gz")).read()
    x = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 784)[offset:offset + n] / 255.0
    rng = np.random.default_rng(0)
    return x @ rng.standard_normal((784, d)) / 28.0  # a fixed random projection


def test_frechet_matches_scipy_on_random_and_real(shared_data):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((500, 16)), rng.standard_normal((400, 16)) * 1.3 + 0.2
    assert metrics.frechet_distance_from_activations(a, b) == pytest.approx(scipy_fid(a, b), rel=1e-6)
    real_a, real_b = mnist_features(shared_data), mnist_features(shared_data, offset=5000)
    assert metrics.frechet_distance_from_activations(real_a, real_b) == pytest.approx(
        scipy_fid(real_a, real_b), rel=1e-5, abs=1e-8)


def test_frechet_closed_form_for_diagonal_covariances():
    # Commuting covariances: Tr(S1 + S2 - 2 sqrt(S1 S2)) = sum (s1 - s2)^2.
    s1, s2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 1.0])
    d = metrics.frechet_distance(np.zeros(3), np.diag(s1), np.ones(3), np.diag(s2))
    assert d == pytest.approx(3.0 + np.sum((np.sqrt(s1) - np.sqrt(s2)) ** 2))


def test_frechet_of_a_set_with_itself_is_zero_and_grows_with_noise(shared_data):
    a = mnist_features(shared_data)
    assert abs(metrics.frechet_distance_from_activations(a, a)) < 1e-8
    rng = np.random.default_rng(0)
    dists = [metrics.frechet_distance_from_activations(a, a + s * rng.standard_normal(a.shape))
             for s in (0.05, 0.2, 0.5)]
    assert dists[0] < dists[1] < dists[2]


def test_frechet_rank_deficient_is_finite():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((10, 50)), rng.standard_normal((10, 50))
    assert np.isfinite(metrics.frechet_distance_from_activations(a, b))


def test_kid_matches_double_loop_reference():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((12, 3)), rng.standard_normal((10, 3)) + 0.5
    k = lambda u, v: (u @ v / 3 + 1) ** 3  # noqa: E731
    xx = sum(k(x[i], x[j]) for i in range(12) for j in range(12) if i != j) / (12 * 11)
    yy = sum(k(y[i], y[j]) for i in range(10) for j in range(10) if i != j) / (10 * 9)
    xy = sum(k(x[i], y[j]) for i in range(12) for j in range(10)) / 120
    assert metrics.mmd2_unbiased(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-10)


def test_kid_is_unbiased_on_one_distribution_and_positive_on_two():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2000, 8)), rng.standard_normal((2000, 8))
    mean, std = metrics.kernel_inception_distance(a, b, num_subsets=50, subset_size=200)
    assert abs(mean) < 3 * std / np.sqrt(50) + 1e-3
    shifted, _ = metrics.kernel_inception_distance(a, b + 0.5, num_subsets=20, subset_size=200)
    assert shifted > 0.05


def test_classifier_score_golden_values():
    uniform = np.full((100, 10), 0.1)
    assert metrics.classifier_score(uniform)[0] == pytest.approx(1.0)
    onehot = np.eye(10)[np.arange(1000) % 10]
    assert metrics.classifier_score(onehot)[0] == pytest.approx(10.0, rel=1e-6)


def test_precision_recall_known_cases():
    rng = np.random.default_rng(4)
    real = rng.standard_normal((400, 2))
    pr = metrics.precision_recall(real, real.copy())
    assert pr == {"precision": 1.0, "recall": 1.0}
    far = metrics.precision_recall(real, real + 100.0)
    assert far == {"precision": 0.0, "recall": 0.0}
    sub = metrics.precision_recall(real, real[real[:, 0] > 0.5])
    assert sub["precision"] > 0.95 and sub["recall"] < 0.6


def test_precision_recall_matches_brute_force():
    rng = np.random.default_rng(5)
    r, f = rng.standard_normal((60, 3)), rng.standard_normal((50, 3)) * 1.5

    def manifold_hits(q, pts, k=3):
        d_pts = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
        radii = np.sort(d_pts, axis=1)[:, k]
        d = np.linalg.norm(q[:, None] - pts[None], axis=-1)
        return (d <= radii[None]).any(1).mean()

    got = metrics.precision_recall(r, f, block=7)
    assert got["precision"] == pytest.approx(manifold_hits(f, r))
    assert got["recall"] == pytest.approx(manifold_hits(r, f))


def test_streamed_statistics_equal_batch_statistics():
    from tfgen.metrics.streaming import stream_features

    rng = np.random.default_rng(6)
    pool = rng.standard_normal((1000, 5)) @ rng.standard_normal((5, 5))
    stats = stream_features(lambda n, s: pool[(s % 100003) * 100:(s % 100003) * 100 + n],
                            lambda x: x, 1000, 100, keep=250)
    np.testing.assert_allclose(stats.mean, pool.mean(0), atol=1e-10)
    np.testing.assert_allclose(stats.cov, np.cov(pool, rowvar=False), atol=1e-10)
    assert stats.count == 1000 and stats.features.shape == (250, 5)


def test_streaming_memory_stays_flat():
    import tracemalloc

    from tfgen.metrics.streaming import stream_features

    def peak(n):
        tracemalloc.start()
        stream_features(lambda b, s: np.ones((b, 64)), lambda x: x, n, 500)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    assert peak(50_000) < 2 * peak(5_000)
