"""Turning batches into pictures: image grids and 2-D scatter plots as PNG."""

from __future__ import annotations

import math
import os

import numpy as np
from PIL import Image


def to_uint8(images) -> np.ndarray:
    """Images in [-1, 1] → uint8 in [0, 255]."""
    x = np.asarray(images, np.float32)
    return np.clip(np.round((x + 1.0) * 127.5), 0, 255).astype(np.uint8)


def grid(images, ncols: int | None = None, pad: int = 1) -> np.ndarray:
    """Tiles NHWC images in [-1, 1] into one uint8 HWC image."""
    x = to_uint8(images)
    n, h, w, c = x.shape
    ncols = ncols or int(math.ceil(math.sqrt(n)))
    nrows = int(math.ceil(n / ncols))
    out = np.full((nrows * (h + pad) + pad, ncols * (w + pad) + pad, c), 255,
                  np.uint8)
    for i in range(n):
        r, col = divmod(i, ncols)
        y0, x0 = pad + r * (h + pad), pad + col * (w + pad)
        out[y0:y0 + h, x0:x0 + w] = x[i]
    return out


def scatter(points, extent: float | None = None, size: int = 256,
            reference=None) -> np.ndarray:
    """Rasterises 2-D points (black) and optional reference points (red)."""
    p = np.asarray(points, np.float64)
    if extent is None:
        pts = p if reference is None else np.concatenate([p, reference])
        extent = float(np.max(np.abs(pts))) * 1.1 + 1e-6
    canvas = np.full((size, size, 3), 255, np.uint8)

    def put(q, colour):
        ij = np.round((q / extent * 0.5 + 0.5) * (size - 1)).astype(int)
        keep = np.all((ij >= 0) & (ij < size), axis=1)
        canvas[size - 1 - ij[keep, 1], ij[keep, 0]] = colour

    put(p, (0, 0, 0))
    if reference is not None:
        put(np.asarray(reference, np.float64), (220, 0, 0))
    return canvas


def picture(batch, **kwargs) -> np.ndarray:
    """A grid for image batches, a scatter plot for 2-D point batches."""
    batch = np.asarray(batch)
    if batch.ndim == 2:
        return scatter(batch, **kwargs)
    return grid(batch, **kwargs)


def save_png(path: str, array: np.ndarray) -> str:
    """Writes a uint8 HWC array (C = 1 or 3) as PNG; returns the path."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    a = array[..., 0] if array.shape[-1] == 1 else array
    Image.fromarray(a).save(path)
    return path
