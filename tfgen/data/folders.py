"""Images stored as files: ``folder:PATH`` and CIFAR-10 (class folders or one tar.gz).

Labels are the index of the class sub-folder in sorted order; a flat folder
has no labels. CIFAR-10 (Krizhevsky 2009, "Learning multiple layers of
features from tiny images") is read from ``<dir>/cifar10/<split>/<class>/``,
``<dir>/<split>/<class>/`` or a tar.gz of that layout in ``<dir>/cifar10-jpeg/``;
decoded tar contents are cached as .npz in ``$TFGEN_CACHE_DIR`` (default
``~/.cache/tfgen``). With ``limit``, classes are taken in turn so that a
small subset still holds every class.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zlib

import numpy as np

from tfgen.data.errors import DataError, check_split
from tfgen.data.locate import FIX, cache_dir, resolve_dir

GREY_MODES = ("1", "L", "LA", "I", "I;16", "F")


def decode_image(data: bytes, what: str) -> np.ndarray:
    """Decodes one image file with PIL to uint8 [H, W, 1] (grey) or [H, W, 3].

    Args:
      data: the file's bytes.
      what: the file's name, for the error message.
    """
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception as err:  # PIL raises many types for unreadable files
        raise DataError(f"cannot decode {what} as an image ({type(err).__name__}); "
                        "remove or replace it") from err
    img = img.convert("L" if img.mode in GREY_MODES else "RGB")
    arr = np.asarray(img, np.uint8)
    return arr[..., None] if arr.ndim == 2 else arr


def stack_same_shape(images: list, names: list, where: str) -> np.ndarray:
    """Stacks images, or names the first whose shape differs from the first one's."""
    if not images:
        raise DataError(f"{where} holds no images")
    for im, name in zip(images, names):
        if im.shape != images[0].shape:
            raise DataError(f"{name} has shape {im.shape} but {names[0]} has "
                            f"{images[0].shape}; give all images of {where} one size")
    return np.stack(images)


def balanced_subset(classes: list, limit: int | None) -> list:
    """Indices of at most ``limit`` items, taking the classes in turn.

    Args:
      classes: the class of each item, items of a class in their reading order.
      limit: how many to keep; None or 0 keeps all.

    Returns:
      Sorted indices into ``classes``.
    """
    if not limit or limit >= len(classes):
        return list(range(len(classes)))
    groups: dict = {}
    for i, c in enumerate(classes):
        groups.setdefault(c, []).append(i)
    order = [g[r] for r in range(max(map(len, groups.values())))
             for _, g in sorted(groups.items()) if r < len(g)]
    return sorted(order[:limit])


def load_folder(path: str, limit: int | None = None):
    """Every file of ``path`` (or of its class sub-folders), decoded with PIL.

    Args:
      path: a folder of images, or of class sub-folders of images.
      limit: decode at most this many (classes taken in turn).

    Returns:
      uint8 images [N, H, W, C] and int64 labels (sorted sub-folder index), or
      None for a flat folder.
    """
    if not os.path.isdir(path):
        raise DataError(f"image folder {path} does not exist; give folder:PATH an "
                        "existing directory")
    visible = sorted(f for f in os.listdir(path) if not f.startswith("."))
    subdirs = [d for d in visible if os.path.isdir(os.path.join(path, d))]
    if subdirs:
        files = [(os.path.join(path, d, f), k) for k, d in enumerate(subdirs)
                 for f in sorted(os.listdir(os.path.join(path, d)))
                 if not f.startswith(".") and os.path.isfile(os.path.join(path, d, f))]
    else:
        files = [(os.path.join(path, f), -1) for f in visible]
    files = [files[i] for i in balanced_subset([k for _, k in files], limit)]
    images = []
    for f, _ in files:
        with open(f, "rb") as fh:
            images.append(decode_image(fh.read(), f))
    x = stack_same_shape(images, [f for f, _ in files], path)
    return x, (np.array([k for _, k in files], np.int64) if subdirs else None)


def find_cifar10_tar(root: str) -> str | None:
    """The first tar.gz in ``<root>/cifar10-jpeg/``, or ``<root>/cifar10*.tar.gz``."""
    tar_dir = os.path.join(root, "cifar10-jpeg")
    found = []
    if os.path.isdir(tar_dir):
        found = [os.path.join(tar_dir, f) for f in sorted(os.listdir(tar_dir))
                 if f.endswith((".tar.gz", ".tgz"))]
    if not found and os.path.isdir(root):
        found = [os.path.join(root, f) for f in sorted(os.listdir(root))
                 if f.startswith("cifar10") and f.endswith((".tar.gz", ".tgz"))]
    return found[0] if found else None


def load_cifar10(split: str, data_dir: str | None, limit: int | None = None):
    """CIFAR-10 from class folders or from the JPEG tar.gz (decoded once, then cached).

    Args:
      split: "train" or "test".
      data_dir: the data folder; None reads ``$TFGEN_DATA_DIR``.
      limit: decode at most this many images, classes taken in turn.

    Returns:
      uint8 images [N, 32, 32, 3] and int64 labels (sorted class-name index,
      which for CIFAR-10 is its usual order airplane=0 ... truck=9).
    """
    check_split("cifar10", split)
    root = resolve_dir(data_dir)
    if root is None:
        raise DataError(f"cifar10: no data directory; {FIX} to a folder with "
                        "cifar10/<split>/<class>/*.jpg or cifar10-jpeg/*.tar.gz, or use "
                        "tfds:cifar10 where TFDS has it")
    for d in (os.path.join(root, "cifar10", split), os.path.join(root, split)):
        if os.path.isdir(d):
            return load_folder(d, limit)
    tar_path = find_cifar10_tar(root)
    if tar_path is None:
        raise DataError(f"cifar10: neither {os.path.join(root, 'cifar10', split)}/<class>/ "
                        f"nor a tar.gz in {os.path.join(root, 'cifar10-jpeg')} found; {FIX}")
    return _cached_tar(tar_path, split, limit)


def _cached_tar(tar_path: str, split: str, limit: int | None):
    st = os.stat(tar_path)
    key = hashlib.sha1(f"{tar_path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:12]
    cache = os.path.join(cache_dir(), f"cifar10-{split}-{limit or 'all'}-{key}.npz")
    try:
        with np.load(cache) as f:
            return f["images"], f["labels"]
    except (OSError, KeyError, ValueError, EOFError, zlib.error):
        pass  # absent or unreadable: decode again
    images, labels = read_class_tar(tar_path, split, limit)
    try:
        tmp = f"{cache}.{os.getpid()}.tmp.npz"
        np.savez(tmp, images=images, labels=labels)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only cache only costs the decoding time next run
    return images, labels


def read_class_tar(path: str, split: str, limit: int | None = None):
    """Decodes ``<split>/<class>/<file>`` members of a tar.gz.

    Args:
      path: the archive.
      split: the top folder to read.
      limit: decode at most this many, classes taken in turn.

    Returns:
      uint8 images [N, H, W, C] and int64 labels (sorted class-name index).
    """
    members = []  # (class, member name, bytes)
    try:
        with tarfile.open(path, "r:gz") as tar:
            for m in tar:
                parts = [p for p in m.name.split("/") if p not in ("", ".")]
                if m.isfile() and len(parts) >= 3 and parts[-3] == split \
                        and not parts[-1].startswith("."):
                    members.append((parts[-2], m.name, tar.extractfile(m).read()))
    except (tarfile.TarError, EOFError, OSError, zlib.error) as err:
        raise DataError(f"{path} is corrupt or truncated ({type(err).__name__}: {err}); "
                        "download it again") from err
    if not members:
        raise DataError(f"{path} has no files under {split}/<class>/; is it the CIFAR-10 archive?")
    members.sort()
    classes = sorted({c for c, _, _ in members})
    keep = balanced_subset([c for c, _, _ in members], limit)
    images = [decode_image(members[i][2], f"{path}:{members[i][1]}") for i in keep]
    x = stack_same_shape(images, [f"{path}:{members[i][1]}" for i in keep], path)
    return x, np.array([classes.index(members[i][0]) for i in keep], np.int64)
