"""Synthetic variants of the grey digit sets, made here from the originals.

They give the two-domain and paired kinds data that needs no download.
They are simple, deterministic transformations, not published data sets:
results on them are not comparable to MNIST-M, edges2shoes or the like.

* ``<base>_inverted``: 255 − pixel (white background, dark strokes); same
  labels. A domain B for ``unpaired`` or a target for domain adaptation.
* ``<base>_colour``: RGB; each image gets a background colour drawn
  uniformly per channel and a stroke colour 128 away from it in every
  channel (``(bg + 128) mod 256``), so the digit always stands out. The
  colours are drawn from a fixed seed per split (train 0, test 1); same
  labels. A stand-in for MNIST-M-style colour shift (channels 1 → 3).
* ``<base>_edges`` (``paired`` kind only): a = the outline of the digit
  (3×3 grey-level morphological gradient: maximum minus minimum of each
  pixel's neighbourhood), b = the digit, as in an edges → image task.
  Not Sobel or Canny: on 28 px strokes two or three pixels wide the 3×3
  gradient gives a closed outline of both stroke sides with no threshold
  to choose.
* ``cifar10_grey`` (``paired`` kind only, :func:`greyscale`): a = the
  luma of each CIFAR-10 image (1 channel), b = the colour image (3), the
  tutorial's black-and-white → colour example.

``<base>`` is ``mnist``, ``fashion_mnist`` or ``mnist5k``.
"""

from __future__ import annotations

import numpy as np

BASES = ("mnist", "fashion_mnist", "mnist5k")
IMAGE_VARIANTS = ("inverted", "colour")
PAIRED_VARIANTS = ("edges",)
_SPLIT_SEEDS = {"train": 0, "test": 1}


def parse(name: str, variants=IMAGE_VARIANTS):
    """(base, variant) when ``name`` is ``<base>_<variant>``, else None."""
    for v in variants:
        base = name[: -len(v) - 1]
        if name.endswith("_" + v) and base in BASES:
            return base, v
    return None


def names(variants=IMAGE_VARIANTS) -> tuple:
    return tuple(f"{b}_{v}" for v in variants for b in BASES)


def inverted(images: np.ndarray) -> np.ndarray:
    """uint8 images with dark and light swapped."""
    return (255 - images).astype(np.uint8)


def coloured(images: np.ndarray, split: str) -> np.ndarray:
    """uint8 grey [N, H, W, 1] → RGB [N, H, W, 3] on random colours."""
    rng = np.random.default_rng(_SPLIT_SEEDS.get(split, 2))
    bg = rng.integers(0, 256, (len(images), 1, 1, 3)).astype(np.float32)
    fg = (bg + 128) % 256
    m = images.astype(np.float32) / 255.0
    out = bg * (1 - m) + fg * m
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def outline(images: np.ndarray) -> np.ndarray:
    """Morphological gradient of uint8 [N, H, W, C] over 3×3 neighbourhoods."""
    h, w = images.shape[1:3]
    p = np.pad(images, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    shifts = [p[:, i:i + h, j:j + w] for i in range(3) for j in range(3)]
    hi, lo = shifts[0].copy(), shifts[0].copy()
    for s in shifts[1:]:
        np.maximum(hi, s, out=hi)
        np.minimum(lo, s, out=lo)
    return hi - lo  # hi >= lo everywhere: no wrap-around


def image_variant(variant: str, images: np.ndarray, split: str) -> np.ndarray:
    if variant == "inverted":
        return inverted(images)
    if variant == "colour":
        return coloured(images, split)
    raise ValueError(f"unknown variant {variant!r}")


def greyscale(images: np.ndarray) -> np.ndarray:
    """uint8 RGB [N, H, W, 3] → uint8 luma [N, H, W, 1] (ITU-R BT.601 weights
    0.299 R + 0.587 G + 0.114 B, rounded; what PIL's ``convert("L")`` gives)."""
    rgb = images.astype(np.float32)
    y = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)[..., None]
