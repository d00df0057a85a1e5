"""Drawing from an exported generator, TF-Hub style (no tfgen model needed)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen import priors


def draw(module, num: int, seed: int = 0) -> np.ndarray:
    """``num`` samples from the export's own prior, reproducible by ``seed``."""
    return module.sample(tf.constant(num, tf.int32),
                         tf.constant(seed, tf.int32)).numpy()


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation between latent vectors a and b at fractions t.

    Gaussian latents concentrate near a sphere, so walking along the great
    circle keeps intermediate points typical (White 2016, "Sampling
    Generative Networks").
    """
    a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
    cos = np.dot(a64, b64) / (np.linalg.norm(a64) * np.linalg.norm(b64))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    t = np.asarray(t, np.float64)[:, None]
    if omega < 1e-6:
        return ((1 - t) * a64 + t * b64).astype(np.float32)
    out = (np.sin((1 - t) * omega) * a64 + np.sin(t * omega) * b64) / np.sin(omega)
    return out.astype(np.float32)


def interpolate(module, seed_a: int, seed_b: int, steps: int = 8) -> np.ndarray:
    """Images along the latent path between the latents of two seeds.

    Spherical for Gaussian-like priors, linear for the uniform prior.
    """
    prior = module.prior.numpy().decode()
    d = int(module.latent_dim.numpy())
    za, zb = (_latent(prior, d, s, module) for s in (seed_a, seed_b))
    t = np.linspace(0.0, 1.0, steps)
    if prior == "uniform":
        z = ((1 - t[:, None]) * za + t[:, None] * zb).astype(np.float32)
    else:
        z = slerp(za, zb, t)
    return module(tf.constant(z)).numpy()


def _latent(prior: str, d: int, seed: int, module) -> np.ndarray:
    z = priors.sample(prior, [1, d], tf.constant([seed, 0], tf.int32),
                      mean=module.prior_mean, scale_tril=module.prior_scale_tril)
    return z.numpy()[0]
