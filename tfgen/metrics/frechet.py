"""Fréchet distance between Gaussians fitted to two sets of features.

d² = ||μ₁ − μ₂||² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2}) (Dowson & Landau 1982);
with Inception pool_3 features it is the FID of Heusel et al. 2017, with the
project's classifier features the "Fréchet classifier distance".

The trace of the matrix square root is computed as Tr((A Σ₂ A)^{1/2}) with
A = Σ₁^{1/2}: both are square roots of symmetric positive semi-definite
matrices, taken by eigendecomposition with tiny negative eigenvalues clipped,
so the result is real and rank-deficient covariances (n < d) give no NaN.
FID is biased upwards at small n; prefer KID below about 5,000 samples.
"""

from __future__ import annotations

import numpy as np


def _sqrt_psd(m: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((m + m.T) / 2.0)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2) (float64)."""
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    s1, s2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    if mu1.shape != mu2.shape or s1.shape != s2.shape:
        raise ValueError(f"mismatched statistics: {mu1.shape}/{s1.shape} vs "
                         f"{mu2.shape}/{s2.shape}")
    a = _sqrt_psd(s1)
    w = np.linalg.eigvalsh(a @ s2 @ a)
    tr_covmean = float(np.sum(np.sqrt(np.clip(w, 0.0, None))))
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * tr_covmean)


def frechet_distance_from_activations(a, b) -> float:
    """Fréchet distance between feature sets a [N, d] and b [M, d]."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return frechet_distance(a.mean(0), np.cov(a, rowvar=False),
                            b.mean(0), np.cov(b, rowvar=False))
