"""Fréchet distance between Gaussians fitted to two sets of features.

When to use: the standard sample-quality number for images (FID with
Inception pool_3 features, Heusel et al. 2017; the "Fréchet classifier
distance" with the project's classifier features). It needs only a mean and
a covariance per set, so it streams (see ``streaming.py``) to 50,000
samples. It is biased upwards at small n and the bias depends on the model,
so compare FIDs only at equal n and prefer KID (``kid.py``) below about
5,000 samples.

d² = ||μ₁ − μ₂||² + Tr(Σ₁) + Tr(Σ₂) − 2 Tr((Σ₁Σ₂)^{1/2}) (Dowson & Landau
1982). Σ₁Σ₂ is not symmetric, and a general ``sqrtm`` of it returns complex
parts and loses digits when the covariances are rank deficient. Instead:
Σ₁Σ₂ is similar to Σ₁^{1/2} Σ₂ Σ₁^{1/2} = (BA)ᵀ(BA) with A = Σ₁^{1/2},
B = Σ₂^{1/2}, so Tr((Σ₁Σ₂)^{1/2}) is the sum of the singular values of BA.
A and B come from symmetric eigendecompositions with tiny negative
eigenvalues clipped to zero; the singular values are then accurate to
machine precision, with no square root of rounding noise, so the result is
real and rank-deficient covariances (n < d) give no NaN and FID(x, x) = 0
to ~1e-12.
"""

from __future__ import annotations

import numpy as np


def sqrtm_psd(m) -> np.ndarray:
    """Symmetric square root of a symmetric positive semi-definite matrix.

    Args:
      m: [d, d] matrix; symmetrised, and eigenvalues below zero (rounding
        noise of a PSD matrix) clipped to zero.

    Returns:
      [d, d] float64 matrix R, symmetric PSD, with R @ R ≈ m.
    """
    m = np.asarray(m, np.float64)
    w, v = np.linalg.eigh((m + m.T) / 2.0)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def _check_stats(mu, sigma, which):
    if mu.ndim != 1 or sigma.shape != (mu.shape[0], mu.shape[0]):
        raise ValueError(f"{which}: need a mean [d] and a covariance [d, d], got "
                         f"{mu.shape} and {sigma.shape}")


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """Fréchet (2-Wasserstein²) distance between N(mu1, sigma1) and N(mu2, sigma2).

    Args:
      mu1: mean [d] of the first Gaussian.
      sigma1: covariance [d, d] of the first Gaussian (PSD).
      mu2: mean [d] of the second Gaussian.
      sigma2: covariance [d, d] of the second Gaussian (PSD).

    Returns:
      The distance d² as a Python float, computed in float64.
    """
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    s1, s2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    _check_stats(mu1, s1, "first set")
    _check_stats(mu2, s2, "second set")
    if mu1.shape != mu2.shape:
        raise ValueError(f"feature sizes differ: {mu1.shape[0]} vs {mu2.shape[0]}; "
                         "compute both statistics with the same feature network")
    tr_covmean = np.linalg.svd(sqrtm_psd(s2) @ sqrtm_psd(s1), compute_uv=False).sum()
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * tr_covmean)


def gaussian_stats(activations):
    """Mean and unbiased covariance (ddof = 1) of activations [N, d], float64.

    Args:
      activations: [N, d] features, N >= 2.

    Returns:
      (mean [d], covariance [d, d]), like ``np.cov(a, rowvar=False)``.
    """
    a = np.asarray(activations, np.float64)
    if a.ndim != 2 or len(a) < 2:
        raise ValueError(f"activations must be [N >= 2, d], got shape {a.shape}; "
                         "flatten features to one vector per sample")
    return a.mean(0), np.cov(a, rowvar=False)


def frechet_distance_from_activations(real, fake) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets.

    Args:
      real: [N, d] features of real samples.
      fake: [M, d] features of generated samples (same feature network).

    Returns:
      The distance as a Python float (FID when the features are Inception
      pool_3 activations).
    """
    return frechet_distance(*gaussian_stats(real), *gaussian_stats(fake))
