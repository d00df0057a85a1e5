"""Short GAN runs on ring8 (8 Gaussians, std 0.01): modes covered.

The non-saturating GAN covers the ring within 2,000 steps. WGAN-GP with the
image setting lambda = 10 does not at this budget (its samples stay near the
ring's centre or spread over a disc; see configs/wgangp_ring8.py); with the
toy-data lambda = 0.1 of the WGAN-GP authors' toy script it does, and that
is what configs/wgangp_ring8.py uses.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import data
from tfgen.metrics import mixture_mode_stats
from tfgen.models.adversarial import AdversarialModel
from tfgen.networks.mlp import mlp_discriminator, mlp_generator

pytestmark = pytest.mark.slow


def nearest_mode_distance(x):
    c = data.mixture_spec("ring8").centers
    return np.linalg.norm(x[:, None] - c[None], axis=-1).min(1)


def train_ring(steps, seed=0, **model_kw):
    keras.utils.set_random_seed(seed)
    g = mlp_generator(2, (2,), hidden=(128,) * 3)
    d = mlp_discriminator((2,), hidden=(128,) * 3)
    m = AdversarialModel(g, d, 2, seed=seed, **model_kw)
    m.compile({p: keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9)
               for p in ("generator", "discriminator")})
    ds = data.make_dataset("ring8", 256 * m.examples_per_step, seed=seed)
    start = nearest_mode_distance(m.generate(2500, seed=1).numpy()).mean()
    hist = m.fit(ds, steps_per_epoch=steps, epochs=1, verbose=0)
    x = m.generate(2500, seed=1).numpy()
    spec = data.mixture_spec("ring8")
    stats = mixture_mode_stats(x, spec.centers, spec.std)
    near = np.linalg.norm(x[:, None] - spec.centers[None], axis=-1).min(1) < 0.1
    return stats, float(near.mean()), start, nearest_mode_distance(x).mean(), m, hist.history


def test_wgan_gp_covers_most_ring_modes_with_the_toy_penalty():
    # configs/wgangp_ring8.py: lambda = 0.1, n_critic = 5.
    stats, near, *_ = train_ring(2000, loss="wasserstein", gp_weight=0.1, n_critic=5)
    print("wgan-gp (lambda 0.1) ring8", stats, "within 0.1:", near)
    assert stats["modes_covered"] >= 6
    assert near > 0.5  # most samples within 0.1 (10 std) of a mode


def test_wgan_gp_image_penalty_moves_samples_towards_the_ring():
    stats, near, start, end, m, hist = train_ring(
        1000, loss="wasserstein", gp_weight=10.0, n_critic=5)
    print("wgan-gp ring8", stats, "within 0.1:", near, "distance", start, "->", end)
    assert end < 0.75 * start
    # A trained critic tells real from generated: d_real > d_fake on average
    # over the run (at one instant the gap of a near-optimal WGAN critic
    # fluctuates around a small positive value and can dip below zero).
    gap = hist["d_real"][-1] - hist["d_fake"][-1]
    print("mean critic gap", gap)
    assert gap > 0


def test_non_saturating_gan_covers_the_ring():
    stats, near, *_ = train_ring(2000, loss="non_saturating")
    print("ns-gan ring8", stats, "within 0.1:", near)
    # Seed 0 covers all 8 modes with 95-97% of samples within 0.1 (10 std)
    # of a mode under every kernel set measured (oneDNN SSE4.1, AVX, AVX2,
    # AVX-512 and oneDNN off). The share within 3 std at the final step is
    # not stable across CPU kinds (0.60-0.87 there, 0.28 on CI's CPU): the
    # last generator update moves the tight clusters by a few std.
    assert stats["modes_covered"] >= 6
    assert near > 0.8
