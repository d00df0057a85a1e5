"""Image completion by latent inference (CoopNets, Sec. 5.1).

Given a generator g and an image Y with occluded pixels, infer X by Langevin
dynamics on log p(X | Y_obs) = −||M ⊙ (Y − g(X))||² / (2σ²) − ||X||²/2,
where M marks the observed pixels (Step G1 of Algorithm G with the sum of
squares restricted to observed pixels), starting from X ~ N(0, I); the
completion is g(X) on the occluded pixels. The paper runs 1,000 steps.

Recovery error as the paper defines it: per-pixel absolute difference
between the original and the completed image on the occluded region,
relative to the range of pixel values (2 for images in [-1, 1]), averaged
over test images. Two simple fill-in baselines are included: the mean of the
observed pixels, and harmonic (membrane) interpolation, which repeatedly
replaces each occluded pixel by the mean of its four neighbours.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen.samplers import langevin as lv

PIXEL_RANGE = 2.0


def square_masks(num: int, shape, size: int, seed: int = 0) -> np.ndarray:
    """Masks [num, H, W, 1]: 1 = observed, 0 inside one randomly placed square."""
    h, w = shape[0], shape[1]
    if not 0 < size <= min(h, w):
        raise ValueError(f"mask size {size} must be in 1..{min(h, w)} for {h}x{w} images")
    rng = np.random.default_rng(seed)
    masks = np.ones((num, h, w, 1), np.float32)
    for i in range(num):
        r, c = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
        masks[i, r:r + size, c:c + size] = 0.0
    return masks


def complete_with_generator(generate, latent_dim: int, images, masks,
                            steps: int = 1000, step_size: float = 0.05,
                            sigma: float = 0.3, seed: int = 0) -> np.ndarray:
    """Completes ``images`` (observed where mask = 1) by latent inference.

    Args:
      generate: differentiable latents → images (a Keras generator or an
        exported SavedModel's ``__call__``).
      latent_dim: size of the latents.
      images, masks: [N, H, W, C] in [-1, 1] and [N, H, W, 1].
      steps: Langevin steps (1,000 in the paper).
      step_size: δ of eq. (9).
      sigma: σ of the generator's noise model.
      seed: seed of the initial latents and the Langevin noise.

    Returns:
      Completed images: observed pixels kept, occluded ones from g(X).
    """
    y = tf.constant(images, tf.float32)
    m = tf.constant(masks, tf.float32)

    def log_post(x):
        r = m * (y - generate(x))
        return (-tf.reduce_sum(tf.square(r), axis=[1, 2, 3]) / (2 * sigma ** 2)
                - 0.5 * tf.reduce_sum(tf.square(x), axis=-1))

    x0 = tf.random.stateless_normal([len(images), latent_dim], [seed, 1])
    run = tf.function(lambda x: lv.langevin(log_post, x, steps, step_size,
                                            tf.constant([seed, 2], tf.int32)))
    g = generate(run(x0)).numpy()
    return masks * images + (1 - masks) * g


def fill_mean(images, masks) -> np.ndarray:
    """Baseline: occluded pixels get the mean of the image's observed pixels."""
    obs = (images * masks).sum(axis=(1, 2, 3), keepdims=True) / masks.sum(
        axis=(1, 2, 3), keepdims=True)
    return masks * images + (1 - masks) * obs


def fill_harmonic(images, masks, iterations: int = 300) -> np.ndarray:
    """Baseline: membrane interpolation by Jacobi iterations of the Laplacian."""
    x = fill_mean(images, masks)
    for _ in range(iterations):
        p = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
        avg = (p[:, :-2, 1:-1] + p[:, 2:, 1:-1] + p[:, 1:-1, :-2] + p[:, 1:-1, 2:]) / 4
        x = masks * images + (1 - masks) * avg
    return x


def recovery_error(originals, completed, masks) -> float:
    """Mean |difference| / pixel range over occluded pixels, averaged over images."""
    occ = 1 - masks
    per_image = (np.abs(originals - completed) * occ).sum(axis=(1, 2, 3)) / (
        occ.sum(axis=(1, 2, 3)) * originals.shape[-1])
    return float(per_image.mean() / PIXEL_RANGE)


BASELINES = {"baseline_mean": fill_mean, "baseline_harmonic": fill_harmonic}


def compare(images, masks, generators: dict, steps: int = 1000, step_size: float = 0.05,
            sigma: float = 0.3, seed: int = 0):
    """Recovery errors of the baselines and of each generator on the same masks.

    Args:
      images, masks: [N, H, W, C] in [-1, 1] and [N, H, W, 1].
      generators: name → (generate, latent_dim).
      steps, step_size, sigma, seed: as in :func:`complete_with_generator`.

    Returns:
      (errors: name → recovery error, completions: name → images), baselines
      first.
    """
    done = {name: fill(images, masks) for name, fill in BASELINES.items()}
    for name, (generate, latent_dim) in generators.items():
        done[name] = complete_with_generator(generate, latent_dim, images, masks, steps,
                                             step_size, sigma, seed)
    return {k: recovery_error(images, v, masks) for k, v in done.items()}, done
