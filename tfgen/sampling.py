"""Drawing from an export's sample parts, TF-Hub style (no tfgen model needed).

The functions take a loaded (or live) ``sample`` or ``conditional_sample``
part of :mod:`tfgen.export_parts`, or the root of a first-format export.

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


def is_conditional(module) -> bool:
    """Whether ``module`` is a ``conditional_sample`` part (it takes labels)."""
    return hasattr(module, "label_input")


def latent_width(module) -> int:
    """The part's latent width; 0 for a part that samples without latents."""
    return int(module.latent_dim.numpy())


def check_labels(module, labels, num: int | None = None) -> np.ndarray:
    """Labels as int32 [num] in range of a conditional part (default: 0, 1, ...
    cycling through the classes)."""
    k = int(module.num_classes.numpy())
    if labels is None:
        return (np.arange(num) % k).astype(np.int32)
    labels = np.asarray(labels).reshape([-1])
    if labels.size and (not np.issubdtype(labels.dtype, np.integer)
                        or labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels must be integers from 0 to {k - 1}, got "
                         f"{sorted(set(labels.tolist()))[:10]}")
    if num is not None and labels.size != num:
        raise ValueError(f"{labels.size} labels for {num} samples")
    return labels.astype(np.int32)


def latents(module, num: int, seed: int = 0, labels=None):
    """[num, latent_dim] latents from the part's prior (a tf.Tensor).

    A conditional part draws one latent per label (``labels``, default
    cycling through the classes), from that class's Gaussian where it has
    per-class priors.
    """
    num = check_num(num)
    d = latent_width(module)
    if d == 0:
        raise ValueError("this export samples by Langevin dynamics from noise and has "
                         "no latents")
    words = tf.constant(seed_words(seed))
    if is_conditional(module) and hasattr(module, "class_means"):
        labels = check_labels(module, labels, num)
        return priors.ClassPriors(module.class_means.numpy(),
                                  module.class_scale_trils.numpy()).sample(labels, words)
    return priors.sample(module.prior.numpy().decode(), [num, d], words,
                         mean=module.prior_mean, scale_tril=module.prior_scale_tril)


def batch_seed(seed: int, index: int) -> int:
    """An int32 seed for batch ``index`` of a draw with ``seed``: ``seed``
    itself for the first batch of a seed below 2**31, hashed otherwise."""
    seed = check_seed(seed)
    if index == 0 and seed < 2**31:
        return seed
    words = np.random.SeedSequence([seed, index]).generate_state(1)
    return int(words[0] & 0x7FFFFFFF)


def draw(module, num: int, seed: int = 0, batch_size: int = DRAW_BATCH,
         labels=None) -> np.ndarray:
    """``num`` samples of a sample part, reproducible by ``seed``.

    Equal to ``module.sample(num, seed)`` for seeds below 2**31 (for a
    conditional part, ``module.sample(labels, seed)``), but run through the
    generator ``batch_size`` latents at a time. A part without latents
    (``latent_dim`` 0) is asked for ``batch_size`` samples at a time with
    :func:`batch_seed` seeds, so it equals ``module.sample(num, seed)`` only
    up to ``batch_size`` samples.
    """
    num = check_num(num)
    if labels is not None and not is_conditional(module):
        raise ValueError("labels given, but this export's sample part is not conditional")
    shape = [int(s) for s in module.image_shape.numpy()]
    out = np.empty([num, *shape], np.float32)
    if latent_width(module) == 0:
        for b, i in enumerate(range(0, num, batch_size)):
            n = min(batch_size, num - i)
            out[i:i + n] = module.sample(tf.constant(n, tf.int32),
                                         tf.constant(batch_seed(seed, b), tf.int32)).numpy()
        return out
    if is_conditional(module):
        labels = check_labels(module, labels, num)
    z = latents(module, num, seed, labels)
    for i in range(0, num, batch_size):
        args = (z[i:i + batch_size],) + ((tf.constant(labels[i:i + batch_size]),)
                                         if labels is not None else ())
        out[i:i + batch_size] = module(*args).numpy()
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


def interpolate(module, seed_a: int, seed_b: int, steps: int = 8,
                label: int | None = None) -> np.ndarray:
    """Images along the latent path between the latents of two seeds.

    Spherical for Gaussian-like priors, linear for the uniform prior; a
    conditional part walks between two latents of class ``label``.
    """
    steps = check_num(steps, "steps")
    labels = None
    if is_conditional(module):
        labels = check_labels(module, [0 if label is None else label], 1)
    prior = module.prior.numpy().decode()
    za, zb = (latents(module, 1, s, labels).numpy()[0] for s in (seed_a, seed_b))
    t = np.linspace(0.0, 1.0, steps)
    if prior == "uniform":
        z = ((1 - t[:, None]) * za + t[:, None] * zb).astype(np.float32)
    else:
        z = slerp(za, zb, t)
    if labels is None:
        return module(tf.constant(z)).numpy()
    return module(tf.constant(z), tf.constant(np.repeat(labels, steps))).numpy()


def sweep(module, index: int, low: float, high: float, steps: int = 8, seed: int = 0,
          label: int | None = None) -> np.ndarray:
    """Images as latent coordinate ``index`` goes from ``low`` to ``high``.

    The other coordinates are those of ``seed``'s latent (for a conditional
    part, one of class ``label``), so a row shows what that one coordinate
    does: an InfoGAN continuous code (its latent index is the noise width plus
    the code's number; the code is erf(u / √2) of the latent u), or any
    latent direction of another generator.
    """
    steps = check_num(steps, "steps")
    d = latent_width(module)
    if not 0 <= index < d:
        raise ValueError(f"sweep index {index} is outside the latent (width {d}); use "
                         f"0 to {d - 1}")
    labels = None
    if is_conditional(module):
        labels = check_labels(module, [0 if label is None else label], 1)
    z = np.repeat(latents(module, 1, seed, labels).numpy(), steps, axis=0)
    z[:, index] = np.linspace(low, high, steps, dtype=np.float32)
    if labels is None:
        return module(tf.constant(z)).numpy()
    return module(tf.constant(z), tf.constant(np.repeat(labels, steps))).numpy()
