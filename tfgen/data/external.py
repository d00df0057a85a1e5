"""User data given by path or by TFDS name: ``npz:PATH`` and ``tfds:NAME``."""

from __future__ import annotations

import os
import zipfile

import numpy as np

from tfgen.data.errors import DataError


def load_npz(path: str):
    """Arrays ``images`` (uint8 0..255 or float in [-1, 1]; NHW or NHWC) and optional ``labels``.

    Args:
      path: a file written by ``np.savez`` / ``np.savez_compressed``.

    Returns:
      images (uint8 or float32 NHWC) and int64 labels [N] or None.
    """
    if not os.path.isfile(path):
        raise DataError(f"npz file {path} not found; give npz:PATH an existing .npz file")
    try:
        with np.load(path, allow_pickle=False) as f:
            if "images" not in f:
                raise DataError(f"{path} has no 'images' array (keys: {', '.join(f.keys())}); "
                                "save it with np.savez(path, images=..., labels=...)")
            images = f["images"]
            labels = f["labels"] if "labels" in f else None
    except DataError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
        raise DataError(f"{path} is not a readable .npz file ({type(err).__name__}); "
                        "write it again with np.savez") from err
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or len(images) == 0:
        raise DataError(f"{path}: 'images' has shape {images.shape}; expected a non-empty "
                        "[N, H, W] or [N, H, W, C] array")
    if images.dtype != np.uint8:
        if not np.issubdtype(images.dtype, np.floating):
            raise DataError(f"{path}: 'images' has dtype {images.dtype}; store uint8 "
                            "0..255 or float in [-1, 1]")
        lo, hi = float(images.min()), float(images.max())
        if lo < -1.0 or hi > 1.0 or not np.isfinite(lo + hi):
            raise DataError(f"{path}: float images must lie in [-1, 1] (found {lo:.3g}.."
                            f"{hi:.3g}); rescale them or store uint8 0..255")
        images = images.astype(np.float32)
    if labels is not None:
        if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
            raise DataError(f"{path}: 'labels' has shape {labels.shape} and dtype "
                            f"{labels.dtype}; expected {len(images)} integers")
        labels = labels.astype(np.int64)
    return images, labels


def load_tfds(name: str, split: str):
    """A TensorFlow Datasets builder, read only where it is already prepared.

    Nothing is downloaded (``download=False``); TFDS looks in ``$TFDS_DATA_DIR``
    (read at each call; default ``~/tensorflow_datasets``).

    Args:
      name: the builder name, e.g. "cifar10" or "cifar10:3.0.2".
      split: a TFDS split such as "train" or "test[:10%]".

    Returns:
      images (uint8 NHWC) and int64 labels, or None where the set has none.
    """
    try:
        import tensorflow_datasets as tfds
    except ImportError as err:
        raise DataError(f"tfds:{name} needs tensorflow-datasets; pip install "
                        "tensorflow-datasets") from err
    try:
        ds = tfds.load(name, split=split, download=False,
                       data_dir=os.environ.get("TFDS_DATA_DIR") or None)
    except Exception as err:  # tfds raises assorted errors when a set is absent
        raise DataError(f"tfds:{name} split {split!r} is not prepared locally "
                        f"({type(err).__name__}); it needs network access once, or set "
                        "TFDS_DATA_DIR to a folder where it was prepared") from err
    if "image" not in ds.element_spec:
        raise DataError(f"tfds:{name} has no 'image' feature (features: "
                        f"{', '.join(ds.element_spec)}); choose an image dataset")
    keys = [k for k in ("image", "label") if k in ds.element_spec]
    parts = list(tfds.as_numpy(ds.map(lambda ex: {k: ex[k] for k in keys}).batch(1024)))
    if not parts:
        raise DataError(f"tfds:{name} split {split!r} is empty")
    arrays = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    images = arrays["image"]
    if images.ndim == 3:
        images = images[..., None]
    labels = arrays.get("label")
    return images, (None if labels is None else np.asarray(labels, np.int64))
