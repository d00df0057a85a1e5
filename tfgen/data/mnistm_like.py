"""MNIST-M-like: MNIST digits blended over colour photo patches.

Ganin et al. (2016, JMLR, Sec. 5.2.2; Ganin & Lempitsky 2015) built MNIST-M
by blending each MNIST digit over a patch cut at random from the colour
photographs of BSDS500, taking per pixel and channel the absolute
difference |patch − digit|: where the stroke is, the photo's colours are
inverted, elsewhere the photo shows through. BSDS500 cannot be fetched
here, so this domain takes its patches from CIFAR-10's photographs
instead (32×32, cropped to 28×28 at a random offset; the JPEG q75 copy in
``$TFGEN_DATA_DIR/cifar10-jpeg``). Everything else follows the recipe, so
it poses the same kind of shift (grey strokes → textured colour), but it is
NOT MNIST-M: numbers measured on it are not comparable with published
MNIST-M results. It is named for what it is, ``mnistm_like``.

* Row i of ``mnistm_like`` (split s) is MNIST's row i of split s, blended;
  the labels are MNIST's. So the grey counterpart of every image is known
  (the translation tasks measure errors against it) and the class is known
  (domain adaptation evaluates on it; training never reads target labels).
* The photos of the train split come from CIFAR-10's train split, those of
  the test split from its test split: no photo is shared between splits.
  Of each split, ``PHOTOS_PER_SPLIT`` photos are drawn by a seeded
  permutation of the WHOLE split (:func:`photo_rows`), so every class of
  CIFAR-10 is represented (about a tenth each), whatever order the reader
  returns them in.
* Deterministic: the photo, the crop offset and a horizontal flip of each
  row are drawn by numpy's ``default_rng`` from a fixed seed per split
  (train 0, test 1), the same convention as ``derived.py``.
* Versioned: ``VERSION`` names the recipe. Version 1 took the first 5,000
  photos in the JPEG tar's order, which is by class (train patches all
  birds); version 2 (this one) samples the whole split. Results should
  quote it (bench/domain_adaptation.py records it in its JSON); the
  blended images are rebuilt in process from MNIST and the CIFAR-10 cache
  (whose key names the whole split, ``cifar10-<split>-all``, never the old
  ``-5000`` file), so no stored copy of version 1 can be read back.

``mnist_rgb`` is MNIST with its grey channel repeated three times (the
source domain of the pair; same rows, same labels).

Arrays are uint8 [N, 28, 28, 3]; ``named.py`` scales them to [-1, 1].
"""

from __future__ import annotations

import numpy as np

NAME = "mnistm_like"
# MNIST with its grey replicated to 3 channels: the source of the
# MNIST → MNIST-M-like pair, since one network reads both domains (Ganin et
# al. fed MNIST to their MNIST-M network the same way).
RGB_NAME = "mnist_rgb"
NAMES = (NAME, RGB_NAME)
BASE = "mnist"
PHOTOS = "cifar10"
# The recipe's version (module docstring); bump it whenever an image changes.
VERSION = 2
# Read the whole CIFAR-10 split (the reader's ``limit``; None: all of it),
# then keep PHOTOS_PER_SPLIT of them by a seeded permutation (photo_rows):
# 5,000 of the 50,000 train / 10,000 test photos (BSDS500, behind MNIST-M,
# has 500 photographs).
PHOTOS_LIMIT = None
PHOTOS_PER_SPLIT = 5000
_SPLIT_SEEDS = {"train": 0, "test": 1}


def patches(photos: np.ndarray, count: int, size: int, seed: int) -> np.ndarray:
    """``count`` random size×size crops of uint8 ``photos`` [M, H, W, 3].

    Each crop picks a photo, an offset and a horizontal flip from
    ``default_rng(seed)``.
    """
    photos = np.asarray(photos)
    m, h, w = photos.shape[:3]
    if h < size or w < size:
        raise ValueError(f"photos of {h}x{w} are smaller than the {size}x{size} patches")
    rng = np.random.default_rng(seed)
    which = rng.integers(0, m, count)
    top = rng.integers(0, h - size + 1, count)
    left = rng.integers(0, w - size + 1, count)
    flip = rng.random(count) < 0.5
    out = np.empty((count, size, size, photos.shape[3]), photos.dtype)
    # One gather per offset: far faster than indexing every pixel.
    for i in range(h - size + 1):
        for j in range(w - size + 1):
            rows = np.flatnonzero((top == i) & (left == j))
            out[rows] = photos[which[rows], i:i + size, j:j + size]
    out[flip] = out[flip, :, ::-1]
    return out


def blend(digits: np.ndarray, photo_patches: np.ndarray) -> np.ndarray:
    """|patch − digit| per pixel and channel: uint8 [N, H, W, 3].

    Args:
      digits: uint8 [N, H, W] or [N, H, W, 1] grey digits (white strokes).
      photo_patches: uint8 [N, H, W, 3].
    """
    d = np.asarray(digits, np.uint8)
    if d.ndim == 3:
        d = d[..., None]
    p = np.asarray(photo_patches, np.uint8)
    # max − min = |p − d| without leaving uint8.
    out = np.maximum(p, d)
    out -= np.minimum(p, d)
    return out


def photo_rows(available: int, split: str) -> np.ndarray:
    """Which of a split's ``available`` photos the domain uses.

    The first ``PHOTOS_PER_SPLIT`` of a permutation of all of them, seeded
    per split (and by ``VERSION``), so the photos are a uniform sample of
    the split rather than its first rows (which a class-ordered reader
    returns one class at a time).
    """
    rng = np.random.default_rng([VERSION, _SPLIT_SEEDS.get(split, 2)])
    return np.sort(rng.permutation(available)[:PHOTOS_PER_SPLIT])


def make(digits: np.ndarray, photos: np.ndarray, split: str) -> np.ndarray:
    """The MNIST-M-like images of ``digits`` (one per row, same order).

    ``photos`` is the split's photo collection (all of it, as ``named.py``
    passes it); :func:`photo_rows` picks the ones used.
    """
    size = digits.shape[1]
    seed = _SPLIT_SEEDS.get(split, 2)
    chosen = np.asarray(photos)[photo_rows(len(photos), split)]
    return blend(digits, patches(chosen, len(digits), size, seed))


def rgb(digits: np.ndarray) -> np.ndarray:
    """Grey uint8 [N, H, W(, 1)] → [N, H, W, 3] with the grey repeated."""
    d = np.asarray(digits)
    if d.ndim == 3:
        d = d[..., None]
    return np.repeat(d, 3, axis=-1)
