"""A user's own data: a folder of images (``folder:``) or arrays (``npz:``).

Both loaders check what would otherwise surface later as a traceback, or
train silently on wrong data: stray files, nested folders, mixed channels
or sizes, array ranks, channel counts, non-finite values and labels that do
not fit the images. Every failure is a one-line ``DataError`` of the form
"<what is wrong> (<detail>); <how to fix>".
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import numpy as np

from tfgen.data.errors import DataError

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff",
                    ".webp", ".ppm", ".pgm", ".pbm", ".pnm")
# Written into folders by operating systems and file managers, never by a
# user meaning them as data; skipped like hidden (dot) files. Names compared
# in lower case; "icon\r" is macOS's custom-folder-icon file.
OS_JUNK = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r", "__macosx"})
# PIL modes that are grey already; everything else is read as RGB.
_GREY_MODES = ("L", "1", "LA")


def _is_junk(name: str) -> bool:
    return name.startswith(".") or name.lower() in OS_JUNK


def _is_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_EXTENSIONS)


def _kind(channels: int) -> str:
    return "grey" if channels == 1 else "RGB"


def read_image(path: str) -> np.ndarray:
    """The image file at ``path``, decoded; an unreadable file is a one-line error."""
    try:
        with open(path, "rb") as fh:
            return decode_image(fh.read(), path)
    except OSError as err:
        raise DataError(f"cannot read {path} ({err.strerror}); check its "
                        "permissions or remove it") from err


def decode_image(data: bytes, what: str) -> np.ndarray:
    """Decodes an encoded image to uint8 [H, W, 1] (grey) or [H, W, 3]."""
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception as err:  # PIL raises many types for bad files
        raise DataError(f"cannot decode image {what} ({err}); remove or replace it") from err
    if img.mode != "L":
        img = img.convert("L" if img.mode in _GREY_MODES else "RGB")
    im = np.asarray(img)
    return im[..., None] if im.ndim == 2 else im


def _listing(path: str) -> tuple[list[str], list[str]]:
    """Sorted (sub-folders, files) of ``path`` without hidden and OS files."""
    try:
        names = sorted(n for n in os.listdir(path) if not _is_junk(n))
    except OSError as err:
        raise DataError(f"cannot list folder {path} ({err.strerror}); check that "
                        "it is readable") from err
    dirs = [n for n in names if os.path.isdir(os.path.join(path, n))]
    return dirs, [n for n in names if n not in dirs]


def _check_images(folder: str, files: list[str]) -> None:
    for f in files:
        if not _is_image(f):
            ext = os.path.splitext(f)[1] or "no extension"
            raise DataError(
                f"{os.path.join(folder, f)} is not an image ({ext}); move it out of "
                f"the folder (images end in {', '.join(IMAGE_EXTENSIONS[:4])}, ...)")


def _entries(path: str) -> tuple[list[tuple[str, int]], bool]:
    """(file, label) pairs, and whether the folder has one sub-folder per class."""
    classes, files = _listing(path)
    if not classes:
        _check_images(path, files)
        return [(os.path.join(path, f), -1) for f in files], False
    # Files next to class folders would get no label; only images are
    # ambiguous, so a README or LICENSE there is fine.
    stray = [f for f in files if _is_image(f)]
    if stray:
        raise DataError(
            f"folder {path} mixes image files ({stray[0]}, {len(stray)} in all) with "
            f"class sub-folders ({classes[0]}, {len(classes)} in all); move the images "
            "into a class folder, or the class folders out")
    entries = []
    for label, c in enumerate(classes):
        folder = os.path.join(path, c)
        nested, files = _listing(folder)
        if nested:
            # Labels come from one level of folders; a deeper one could mean a
            # class of its own or part of this one, so do not guess.
            raise DataError(
                f"class folder {folder} holds a sub-folder ({nested[0]}); keep the "
                "images directly in each class folder: move them up, or make it a "
                f"class of its own next to {c}")
        _check_images(folder, files)
        entries += [(os.path.join(folder, f), label) for f in files]
    return entries, True


def load_folder(path: str, limit: int | None = None):
    """Images in class sub-folders (labels = sorted folder index) or flat.

    Hidden files and folders (leading dot) and OS files such as Thumbs.db
    are skipped; any other non-image file, or a folder inside a class
    folder, is an error.

    Args:
      path: the folder.
      limit: read at most this many images (in sorted order).

    Returns:
      (uint8 images [N, H, W, C] with C = 1 or 3, int64 labels or None).
    """
    if not path:
        raise DataError("folder: needs a path; write folder:/path/to/images")
    if not os.path.exists(path):
        raise DataError(f"folder {path} does not exist; pass folder:PATH of a folder "
                        "of images (flat, or one sub-folder per class)")
    if not os.path.isdir(path):
        hint = f"use npz:{path} for arrays" if path.endswith(".npz") else \
            "point folder: at the folder that holds the images"
        raise DataError(f"folder:{path} is a file, not a folder; {hint}")
    entries, labelled = _entries(path)
    if limit:
        entries = entries[:limit]
    if not entries:
        raise DataError(f"folder {path} holds no images; put .png or .jpg files in it "
                        "(flat, or one sub-folder per class)")
    images, first = [], None
    for f, _ in entries:
        im = read_image(f)
        if first is None:
            first = (f, im.shape)
        elif im.shape != first[1]:
            _mismatch(f, im.shape, *first)
        images.append(im)
    labels = np.array([l for _, l in entries], np.int64) if labelled else None
    return np.stack(images), labels


def _mismatch(f: str, shape: tuple, first: str, first_shape: tuple) -> None:
    """Raises the error for an image unlike the first: channels, size or both."""
    if shape[:2] == first_shape[:2]:
        raise DataError(
            f"{f} has {shape[2]} channels ({_kind(shape[2])}) but the first image "
            f"({first}) has {first_shape[2]} ({_kind(first_shape[2])}); convert all "
            "images to RGB or all to grey (e.g. PIL's Image.convert('RGB'))")
    if shape[2] != first_shape[2]:
        raise DataError(
            f"{f} has shape {shape} but the first image ({first}) has {first_shape}: "
            "channels and size differ; convert all images to RGB or all to grey, "
            "and resize them to one size")
    raise DataError(f"{f} has shape {shape} but the first image ({first}) has "
                    f"{first_shape}; resize the folder's images to one size")


def _read_npz(path: str):
    """(images, labels or None) as stored, or a DataError for a bad file."""
    try:
        f = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise DataError(f"{path} is not a readable .npz file ({err}); save it with "
                        "np.savez(path, images=..., labels=...)") from err
    if not isinstance(f, np.lib.npyio.NpzFile):
        raise DataError(f"{path} holds a single .npy array, not an .npz of named "
                        "arrays; save it with np.savez(path, images=..., labels=...)")
    with f:
        if "images" not in f.files:
            raise DataError(f"{path} has no 'images' array (keys: {f.files}); save it "
                            "with np.savez(path, images=..., labels=...)")
        try:
            return f["images"], (f["labels"] if "labels" in f.files else None)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as err:
            raise DataError(f"{path} is not a readable .npz file (a member is "
                            f"corrupt: {err}); save it again") from err


def _check_image_array(path: str, images: np.ndarray, key: str = "images") -> np.ndarray:
    shape = tuple(images.shape)
    if images.ndim == 2:
        side = int(round(np.sqrt(shape[1])))
        hint = f" (e.g. reshape(-1, {side}, {side}))" if side * side == shape[1] else ""
        raise DataError(f"{path}: '{key}' has shape {shape}, one flat row per "
                        f"image; store [N, H, W] or [N, H, W, C]{hint}")
    if images.ndim != 4:
        raise DataError(f"{path}: '{key}' has shape {shape} (rank {images.ndim}); "
                        "store [N, H, W] grey or [N, H, W, C] with C = 1 or 3")
    if shape[3] not in (1, 3):
        if shape[1] in (1, 3):
            fix = "it looks like NCHW: store images.transpose(0, 2, 3, 1)"
        elif shape[3] == 4:
            fix = "drop the alpha channel with images[..., :3]"
        else:
            fix = "store [N, H, W, C] with C = 1 or 3"
        raise DataError(f"{path}: '{key}' has shape {shape} with {shape[3]} channels, "
                        f"expected 1 (grey) or 3 (RGB); {fix}")
    if not len(images):
        raise DataError(f"{path}: '{key}' holds no images (shape {shape}); store "
                        "at least one")
    if np.issubdtype(images.dtype, np.floating):
        bad = ~np.isfinite(images)
        if bad.any():
            n_img = int(bad.any(axis=(1, 2, 3)).sum())
            raise DataError(
                f"{path}: NaN or Inf in {n_img} of {len(images)} images of '{key}' "
                f"({int(bad.sum())} values); drop those images (keep "
                "np.isfinite(images).all(axis=(1, 2, 3))) or fix how they were made")
        lo, hi = float(images.min()), float(images.max())
        if lo < -1.0001 or hi > 1.0001:
            raise DataError(f"{path}: float '{key}' must lie in [-1, 1] (found "
                            f"{lo:.3g}..{hi:.3g}); rescale them or store uint8")
    elif images.dtype != np.uint8:
        raise DataError(f"{path}: '{key}' has dtype {images.dtype}; store uint8 "
                        "0..255 (images.astype(np.uint8)) or float in [-1, 1]")
    return images


def _check_labels(path: str, labels: np.ndarray, n: int) -> np.ndarray:
    if labels.ndim == 2 and labels.shape[0] == n and labels.shape[1] > 1:
        raise DataError(f"{path}: 'labels' has shape {labels.shape}, one-hot or "
                        "scores; store class ids: labels.argmax(1)")
    if labels.ndim != 1:
        raise DataError(f"{path}: 'labels' has shape {labels.shape}; store one "
                        "class id per image, shape [N]")
    if len(labels) != n:
        raise DataError(f"{path}: {n} images but {len(labels)} labels; store one "
                        "label per image")
    if not (np.issubdtype(labels.dtype, np.integer) or labels.dtype == bool):
        if not np.issubdtype(labels.dtype, np.floating) or \
                not np.all(np.isfinite(labels) & (labels == np.round(labels))):
            raise DataError(f"{path}: 'labels' ({labels.dtype}) are not all whole "
                            "numbers; store integer class ids 0..K-1")
    labels = labels.astype(np.int64)
    if len(labels) and labels.min() < 0:
        raise DataError(f"{path}: 'labels' include {labels.min()}; store class ids "
                        "0..K-1")
    return labels


def load_npz(path: str):
    """Arrays ``images`` (uint8 0..255 or float in [-1, 1]) and ``labels``.

    Args:
      path: an .npz written by ``np.savez(path, images=..., labels=...)``;
        images [N, H, W] (grey) or [N, H, W, C] with C = 1 or 3, labels
        optional integer class ids [N].

    Returns:
      (images [N, H, W, C], int64 labels or None).
    """
    if not path:
        raise DataError("npz: needs a path; write npz:/path/to/data.npz")
    if not os.path.exists(path):
        raise DataError(f"npz file {path} not found; pass npz:PATH of an .npz with "
                        "an 'images' array")
    if os.path.isdir(path):
        raise DataError(f"npz:{path} is a folder, not a file; use folder:{path} for "
                        "a folder of images")
    images, labels = _read_npz(path)
    if images.ndim == 3:
        images = images[..., None]
    images = _check_image_array(path, images)
    if labels is not None:
        labels = _check_labels(path, labels, len(images))
    return images, labels
