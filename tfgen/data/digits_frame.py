"""scikit-learn's digits framed the way MNIST frames its digits.

MNIST's digits were size-normalised to fit a 20×20 box, aspect ratio kept,
and placed in a 28×28 frame so that their centre of mass sits at the
centre (LeCun et al., the MNIST database's description). scikit-learn's
1,797 digits (UCI "optdigits": 32×32 bitmaps counted in 4×4 blocks, 8×8
with values 0..16) fill their frame: every one has ink in all 8 rows.
Upsampled as they are to 28×28 (``data.image_size = 28`` on ``digits``),
they stand 1.4 times taller than MNIST's, touch the border and carry
about twice MNIST's ink (docs/benchmarks/domain_adaptation.md), a shift
of scale and position on top of the change of writers.

``digits_mnist_frame`` removes the framing part of the shift, as domain
adaptation work usually does when it pairs MNIST with another digit set
(both domains brought to one size and placement): per image, the ink's
bounding box in the 8×8 grid (pixels > 0) is cropped, resized bilinearly
so that its longer side is ``BOX`` = 20 pixels (aspect ratio kept), and
pasted into a 28×28 frame with its centre of mass at the frame's centre
(rounded to whole pixels, kept inside the frame). The strokes, writers
and labels are the digits' own; plain ``digits`` is unchanged.

Arrays are float32 [1797, 28, 28, 1] in [-1, 1], labels int64; one split,
``train``, as ``digits``.
"""

from __future__ import annotations

import numpy as np

NAME = "digits_mnist_frame"
NAMES = (NAME,)
SIZE = 28
BOX = 20


def frame(images: np.ndarray, size: int = SIZE, box: int = BOX) -> np.ndarray:
    """Images in [0, 1], [N, h, w], each cropped to its ink, scaled to fit
    ``box`` and centred by its centre of mass in a ``size``² frame; [N, size, size]."""
    import tensorflow as tf

    images = np.asarray(images, np.float32)
    out = np.zeros((len(images), size, size), np.float32)
    crops = {}  # crop shape -> [(row, crop)]: one resize call per shape
    for i, im in enumerate(images):
        rows, cols = np.flatnonzero(im.max(1) > 0), np.flatnonzero(im.max(0) > 0)
        if len(rows):
            crop = im[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
            crops.setdefault(crop.shape, []).append((i, crop))
    for shape, group in crops.items():
        scale = box / max(shape)
        h, w = (max(1, round(n * scale)) for n in shape)
        stack = np.stack([c for _, c in group])[..., None]
        big = np.clip(tf.image.resize(stack, [h, w], antialias=True).numpy()[..., 0], 0.0, 1.0)
        for (i, _), b in zip(group, big):
            mass = b.sum()
            cy = (b.sum(1) * np.arange(h)).sum() / mass
            cx = (b.sum(0) * np.arange(w)).sum() / mass
            top = int(np.clip(round((size - 1) / 2 - cy), 0, size - h))
            left = int(np.clip(round((size - 1) / 2 - cx), 0, size - w))
            out[i, top:top + h, left:left + w] = b
    return out


def load(split: str):
    """(images float32 [N, 28, 28, 1] in [-1, 1], labels int64)."""
    from tfgen.data import sources

    x, y = sources.load_digits(split)
    framed = frame((x[..., 0] + 1.0) / 2.0)
    return framed[..., None] * 2.0 - 1.0, y
