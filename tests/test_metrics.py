"""Metric maths against independent float64 references (SciPy, loops, closed forms).

Real activations are MNIST test pixels read straight from the IDX file:
raw (784-d, many constant pixels, so rank-deficient covariances) or
PCA-reduced to 50 dimensions.
"""

import gzip
import os
import tracemalloc

import numpy as np
import pytest
import scipy.linalg
import scipy.special
import scipy.stats
from threadpoolctl import threadpool_limits  # installed with scikit-learn

from tfgen import metrics


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    # On a shared 2-core machine, multi-threaded LAPACK eigh/svd of 784 × 784
    # matrices spin-wait against other processes: ~8 s instead of 0.7 s.
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def mnist_pixels():
    path = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "mnist",
                        "t10k-images-idx3-ubyte.gz")
    raw = gzip.open(path).read()
    return np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 784) / 255.0


@pytest.fixture(scope="module")
def mnist_pca(mnist_pixels):
    _, v = np.linalg.eigh(np.cov(mnist_pixels[:5000], rowvar=False))
    return mnist_pixels @ v[:, -50:]  # top 50 components; rows 0-4999 and 5000+ disjoint


# --- independent references -------------------------------------------------

def scipy_fid(a, b):
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean))


def gram_fid(a, b):
    # Σ = FᵀF with F = centred rows / sqrt(n − 1); Tr((Σ1Σ2)^½) = nuclear norm of F1 F2ᵀ.
    fa = (a - a.mean(0)) / np.sqrt(len(a) - 1)
    fb = (b - b.mean(0)) / np.sqrt(len(b) - 1)
    nuclear = scipy.linalg.svdvals(fa @ fb.T).sum()
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + (fa ** 2).sum() + (fb ** 2).sum()
                 - 2 * nuclear)


def mmd2_reference(x, y):
    d = x.shape[1]
    k = lambda u, v: np.einsum("id,jd->ij", u, v) / d + 1.0  # noqa: E731
    off = lambda n: ~np.eye(n, dtype=bool)  # noqa: E731
    kxx, kyy, kxy = k(x, x) ** 3, k(y, y) ** 3, k(x, y) ** 3
    return (kxx[off(len(x))].mean() + kyy[off(len(y))].mean() - 2 * kxy.mean())


def manifold_hits(queries, points, k=3):
    d_pts = np.linalg.norm(points[:, None] - points[None], axis=-1)
    radii = np.sort(d_pts, axis=1)[:, k]
    d = np.linalg.norm(queries[:, None] - points[None], axis=-1)
    return (d <= radii[None]).any(1).mean()


# --- Fréchet distance ----------------------------------------------------------

def test_frechet_matches_scipy_on_random_and_mnist(mnist_pca):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((500, 16)), rng.standard_normal((400, 16)) * 1.3 + 0.2
    got = metrics.frechet_distance_from_activations(a, b)
    assert isinstance(got, float)
    assert got == pytest.approx(scipy_fid(a, b), rel=1e-9)
    real, fake = mnist_pca[:2000], mnist_pca[5000:7000]
    assert metrics.frechet_distance_from_activations(real, fake) == pytest.approx(
        scipy_fid(real, fake), rel=1e-9)


@pytest.mark.parametrize("n, stride", [(300, 1), (100, 2)])
def test_frechet_rank_deficient_mnist_pixels(mnist_pixels, n, stride):
    # Raw pixels (784-d, or every other pixel: 196-d) have constant border
    # pixels, and n < d: both covariances are singular. scipy's sqrtm loses
    # ~1e-7 relative here (and warns); the Gram-matrix form is exact.
    x = mnist_pixels.reshape(-1, 28, 28)[:, ::stride, ::stride].reshape(len(mnist_pixels), -1)
    a, b = x[:n], x[5000:5000 + n]
    got = metrics.frechet_distance_from_activations(a, b)
    assert np.isfinite(got) and got == pytest.approx(gram_fid(a, b), rel=1e-9)
    assert abs(metrics.frechet_distance_from_activations(a, a)) < 1e-9


def test_frechet_n_below_d_random_is_finite_and_exact():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((10, 50)), rng.standard_normal((10, 50))
    got = metrics.frechet_distance_from_activations(a, b)
    assert np.isfinite(got) and got == pytest.approx(gram_fid(a, b), rel=1e-10)


def test_frechet_closed_form_for_commuting_covariances():
    # Commuting covariances: Tr(S1 + S2 - 2 (S1 S2)^½) = Σ (√s1 − √s2)².
    s1, s2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 1e-30])
    want = 3.0 + np.sum((np.sqrt(s1) - np.sqrt(s2)) ** 2)
    assert metrics.frechet_distance(np.zeros(3), np.diag(s1), np.ones(3),
                                    np.diag(s2)) == pytest.approx(want, rel=1e-12)
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))  # same rotation
    assert metrics.frechet_distance(q @ np.zeros(3), q @ np.diag(s1) @ q.T, q @ np.ones(3),
                                    q @ np.diag(s2) @ q.T) == pytest.approx(want, rel=1e-10)


def test_frechet_is_zero_on_itself_and_grows_with_noise(mnist_pca):
    a = mnist_pca[:2000]
    assert abs(metrics.frechet_distance_from_activations(a, a)) < 1e-9
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(a.shape)
    dists = [metrics.frechet_distance_from_activations(a, a + s * noise)
             for s in (0.02, 0.1, 0.3, 1.0, 3.0)]
    assert dists[0] > 0 and np.all(np.diff(dists) > 0)


def test_frechet_rejects_mismatched_statistics():
    with pytest.raises(ValueError, match="feature sizes differ"):
        metrics.frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))
    with pytest.raises(ValueError, match="covariance"):
        metrics.frechet_distance(np.zeros(3), np.eye(4), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="N >= 2"):
        metrics.frechet_distance_from_activations(np.zeros(5), np.zeros((5, 1)))


# --- KID ------------------------------------------------------------------------

def test_kid_matches_double_loop_reference():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((12, 3)), rng.standard_normal((10, 3)) + 0.5
    k = lambda u, v: (u @ v / 3 + 1) ** 3  # noqa: E731
    xx = sum(k(x[i], x[j]) for i in range(12) for j in range(12) if i != j) / (12 * 11)
    yy = sum(k(y[i], y[j]) for i in range(10) for j in range(10) if i != j) / (10 * 9)
    xy = sum(k(x[i], y[j]) for i in range(12) for j in range(10)) / 120
    assert metrics.mmd2_unbiased(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-12)
    # subset_size is clipped to the smaller set; a full set gives the plain estimate.
    mean, std = metrics.kernel_inception_distance(x[:10], y, num_subsets=3, subset_size=1000)
    assert mean == pytest.approx(metrics.mmd2_unbiased(x[:10], y), rel=1e-12) and std < 1e-12


def test_kid_matches_reference_on_mnist(mnist_pca):
    real, fake = mnist_pca[:300], mnist_pca[5000:5300] * 1.1
    mean, _ = metrics.kernel_inception_distance(real, fake, num_subsets=1, subset_size=300)
    assert mean == pytest.approx(mmd2_reference(real, fake), rel=1e-10)


def test_mmd_estimator_is_unbiased_where_the_biased_one_is_not():
    rng = np.random.default_rng(3)
    unbiased, biased = [], []
    for _ in range(300):
        x, y = rng.standard_normal((40, 4)), rng.standard_normal((40, 4))
        unbiased.append(metrics.mmd2_unbiased(x, y))
        k = lambda u, v: (u @ v.T / 4 + 1) ** 3  # noqa: E731
        biased.append(k(x, x).mean() + k(y, y).mean() - 2 * k(x, y).mean())
    se = np.std(unbiased) / np.sqrt(300)
    assert abs(np.mean(unbiased)) < 3 * se
    assert np.mean(biased) > 10 * se  # the test can see a bias of this size


def test_kid_near_zero_on_one_distribution_and_positive_on_two():
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((2000, 8)), rng.standard_normal((2000, 8))
    mean, std = metrics.kernel_inception_distance(a, b, num_subsets=50, subset_size=200)
    assert abs(mean) < 3 * std / np.sqrt(50)
    shifted, s_std = metrics.kernel_inception_distance(a, b + 0.5, num_subsets=50,
                                                       subset_size=200)
    assert shifted > 10 * s_std / np.sqrt(50) and shifted > 0.05


# --- classifier score ---------------------------------------------------------

def test_classifier_score_golden_values():
    assert metrics.classifier_score(np.full((100, 10), 0.1))[0] == pytest.approx(1.0)
    onehot = np.eye(10)[np.arange(1000) % 10]
    mean, std = metrics.classifier_score(onehot)
    assert mean == pytest.approx(10.0, rel=1e-12) and std == pytest.approx(0.0, abs=1e-12)
    four = np.eye(10)[np.arange(1000) % 4]  # confident, even over 4 of 10 classes
    assert metrics.classifier_score(four)[0] == pytest.approx(4.0, rel=1e-12)
    assert metrics.classifier_score(60.0 * onehot)[0] == pytest.approx(10.0, rel=1e-9)


def test_classifier_score_matches_scipy_and_accepts_logits():
    rng = np.random.default_rng(5)
    logits = 3.0 * rng.standard_normal((1000, 10))
    probs = scipy.special.softmax(logits, axis=1)
    want = [np.exp(np.mean([scipy.stats.entropy(p, part.mean(0)) for p in part]))
            for part in np.split(probs, 5)]
    mean, std = metrics.classifier_score(probs, num_splits=5)
    assert (mean, std) == pytest.approx((np.mean(want), np.std(want)), rel=1e-10)
    assert metrics.classifier_score(logits, num_splits=5) == pytest.approx((mean, std), rel=1e-10)
    with pytest.raises(ValueError, match="from_logits=True"):
        metrics.classifier_score(logits, from_logits=False)


# --- precision / recall -------------------------------------------------------

def test_precision_recall_known_cases():
    rng = np.random.default_rng(6)
    real = rng.standard_normal((400, 2))
    assert metrics.precision_recall(real, real.copy()) == {"precision": 1.0, "recall": 1.0}
    far = metrics.precision_recall(real, real + 100.0)
    assert far == {"precision": 0.0, "recall": 0.0}
    sub = metrics.precision_recall(real, real[real[:, 0] > 0.5])
    assert sub["precision"] == 1.0 and sub["recall"] < 0.6


def test_precision_recall_matches_brute_force(mnist_pca):
    rng = np.random.default_rng(7)
    r, f = rng.standard_normal((60, 3)), rng.standard_normal((50, 3)) * 1.5
    got = metrics.precision_recall(r, f, block=7)
    assert got == {"precision": manifold_hits(f, r), "recall": manifold_hits(r, f)}
    real, fake = mnist_pca[:300], mnist_pca[5000:5300] + 0.5
    got = metrics.precision_recall(real, fake, k=5, block=64)
    assert got["precision"] == pytest.approx(manifold_hits(fake, real, 5), abs=1 / 300 + 1e-12)
    assert got["recall"] == pytest.approx(manifold_hits(real, fake, 5), abs=1 / 300 + 1e-12)


def test_precision_recall_memory_is_blocked():
    rng = np.random.default_rng(8)
    real, fake = rng.standard_normal((6000, 8)), rng.standard_normal((6000, 8)) + 0.3
    tracemalloc.start()
    pr = metrics.precision_recall(real, fake)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    full = 6000 * 6000 * 8  # one dense float64 distance matrix: 288 MB
    assert peak < full / 3, peak
    assert 0.5 < pr["precision"] < 1 and 0.5 < pr["recall"] < 1


# --- streaming ------------------------------------------------------------------

def pool_sampler(pool, batch_size, calls):
    def sample(n, seed):
        calls.append((n, seed))
        i = seed % metrics.streaming.SEED_STRIDE
        return pool[i * batch_size:i * batch_size + n]
    return sample


@pytest.mark.parametrize("offset", [0.0, 1e4])
def test_streamed_statistics_equal_batch_statistics(offset):
    rng = np.random.default_rng(9)
    pool = rng.standard_normal((1030, 5)) @ rng.standard_normal((5, 5)) + offset
    calls = []
    stats = metrics.stream_features(pool_sampler(pool, 100, calls), lambda x: x, 1030, 100,
                                    seed=2, keep=250)
    assert calls[0] == (100, 2 * 100003) and calls[-1] == (30, 2 * 100003 + 10)
    assert stats.count == 1030 and len(calls) == 11
    np.testing.assert_allclose(stats.mean, pool.mean(0), rtol=0, atol=1e-10 * (1 + offset))
    np.testing.assert_allclose(stats.cov, np.cov(pool, rowvar=False), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(stats.features, pool[:250])
    assert metrics.frechet_distance(stats.mean, stats.cov, pool.mean(0), np.cov(
        pool, rowvar=False)) == pytest.approx(0.0, abs=1e-9)


def test_streaming_keeps_no_features_unless_asked():
    stats = metrics.stream_features(lambda n, s: np.ones((n, 3)) * s, lambda x: x, 10, 4)
    assert stats.features is None and stats.count == 10
    with pytest.raises(ValueError, match="one feature vector per image"):
        metrics.stream_features(lambda n, s: np.ones((n, 3)), lambda x: x[:1], 10, 4)


def test_streaming_memory_stays_flat():
    def peak(n):
        rng = np.random.default_rng(0)
        tracemalloc.start()
        metrics.stream_features(lambda b, s: rng.standard_normal((b, 64)), lambda x: x, n, 500)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(5_000), peak(50_000)
    assert large < 1.5 * small, (small, large)
    assert large < 50_000 * 64 * 8 / 10  # far below storing the features
