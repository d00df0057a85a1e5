"""Drawing from an exported generator, TF-Hub style (no tfgen model needed).

Seeds are integers in [0, 2**64). A seed below 2**31 draws exactly what the
export's own ``m.sample(num, seed)`` draws (stateless seed ``[seed, 0]``);
a larger one fills both int32 words of the stateless seed, so no two seeds
share latents (TensorFlow would silently wrap a large seed to a small one).

Samples are generated in batches from latents drawn all at once, so memory
grows with the output, not with the generator's activations; the command
line checks that output against the available memory (:func:`check_memory`).
"""

from __future__ import annotations

import math
import os

import numpy as np
import tensorflow as tf

from tfgen import priors

MAX_NUM = 2**31 - 1         # the export's ``num`` is an int32
MAX_SEED = 2**64 - 1        # two int32 words
MEMORY_FRACTION = 0.5       # of the available memory, for the drawn samples
DRAW_BATCH = 1000


def check_num(num, name: str = "num") -> int:
    """``num`` as an int in [1, 2**31 - 1], or a ValueError naming ``name``."""
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {num!r}")
    if not 1 <= num <= MAX_NUM:
        raise ValueError(f"{name} must be between 1 and {MAX_NUM:,}, got {num:,}")
    return int(num)


def check_seed(seed, name: str = "seed") -> int:
    """``seed`` as an int in [0, 2**64 - 1], or a ValueError naming ``name``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"{name} must be between 0 and 2**64 - 1, got {seed}")
    return int(seed)


def seed_words(seed: int) -> np.ndarray:
    """The stateless seed [low, high] (int32) of ``seed``; [seed, 0] below 2**31."""
    seed = check_seed(seed)
    words = np.array([seed & 0xFFFFFFFF, seed >> 32], np.uint32)
    return words.view(np.int32)


def sample_bytes(num: int, image_shape, latent_dim: int) -> int:
    """Bytes of ``num`` float32 samples and their latents."""
    return int(num) * (math.prod(int(s) for s in image_shape) + int(latent_dim)) * 4


def available_memory() -> int | None:
    """Memory the system can give without swapping (bytes), if known."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(num: int, image_shape, latent_dim: int, name: str = "num",
                 available: int | None = None) -> None:
    """Raises a ValueError if the samples would take over half the free memory.

    Args:
      num: number of samples.
      image_shape: shape of one sample.
      latent_dim: latent width.
      name: how the caller calls ``num`` (e.g. "--num"), for the message.
      available: bytes available; default :func:`available_memory` (no check
        when unknown).
    """
    available = available_memory() if available is None else available
    need = sample_bytes(num, image_shape, latent_dim)
    if available is not None and need > MEMORY_FRACTION * available:
        shape = "x".join(str(int(s)) for s in image_shape)
        raise ValueError(
            f"{name}={num:,} samples of shape {shape} need {need / 2**30:.1f} GiB, over "
            f"half the available memory ({available / 2**30:.1f} GiB); draw fewer, "
            "in several runs with different seeds")


def latents(module, num: int, seed: int = 0):
    """[num, latent_dim] latents from the export's prior (a tf.Tensor)."""
    num = check_num(num)
    d = int(module.latent_dim.numpy())
    return priors.sample(module.prior.numpy().decode(), [num, d],
                         tf.constant(seed_words(seed)), mean=module.prior_mean,
                         scale_tril=module.prior_scale_tril)


def draw(module, num: int, seed: int = 0, batch_size: int = DRAW_BATCH) -> np.ndarray:
    """``num`` samples from the export's own prior, reproducible by ``seed``.

    Equal to ``module.sample(num, seed)`` for seeds below 2**31, but run
    through the generator ``batch_size`` latents at a time.
    """
    z = latents(module, num, seed)
    shape = [int(s) for s in module.image_shape.numpy()]
    out = np.empty([int(z.shape[0]), *shape], np.float32)
    for i in range(0, len(out), batch_size):
        out[i:i + batch_size] = module(z[i:i + batch_size]).numpy()
    return out


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
    steps = check_num(steps, "steps")
    prior = module.prior.numpy().decode()
    za, zb = (latents(module, 1, s).numpy()[0] for s in (seed_a, seed_b))
    t = np.linspace(0.0, 1.0, steps)
    if prior == "uniform":
        z = ((1 - t[:, None]) * za + t[:, None] * zb).astype(np.float32)
    else:
        z = slerp(za, zb, t)
    return module(tf.constant(z)).numpy()
