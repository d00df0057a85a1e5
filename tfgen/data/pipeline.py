"""In-memory arrays -> a batched, shuffled, repeated, prefetched ``tf.data`` pipeline.

The pipeline shuffles example *indices* (a uniform permutation of the whole
set every epoch, with a buffer of int64s rather than of images) and gathers
each batch from the arrays held once as tensors.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen.data.errors import DataError


def make_dataset_from_arrays(images: np.ndarray, labels: np.ndarray | None,
                             batch_size: int, *, shuffle: bool = True,
                             repeat: bool = True, seed: int = 0,
                             drop_remainder: bool = True,
                             image_size: int | None = None) -> tf.data.Dataset:
    """Batches of ``images`` (and ``labels`` when given).

    Args:
      images: float32 [N, ...] examples.
      labels: int64 [N] or None.
      batch_size: examples per batch (the GLOBAL batch under tf.distribute).
      shuffle: draw a fresh permutation, seeded by ``seed``, every epoch.
      repeat: repeat forever (batches then run across epoch boundaries).
      seed: shuffle seed.
      drop_remainder: drop a last, smaller batch (keeps batch shapes static).
      image_size: resize [N, H, W, C] images to [image_size, image_size]
        (bilinear, Keras/TF default half-pixel centers).

    Returns:
      A ``tf.data.Dataset`` of images [B, ...] or (images, labels).
    """
    n = len(images)
    if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise DataError(f"batch_size must be a positive integer, got {batch_size!r}")
    if drop_remainder and batch_size > n:
        raise DataError(f"batch_size {batch_size} exceeds the {n} examples of the "
                        "dataset; use a smaller batch or drop_remainder=False")
    if image_size and images.ndim != 4:
        raise DataError(f"image_size applies to images [N, H, W, C]; these examples "
                        f"have shape {images.shape[1:]}: leave image_size unset")
    x = tf.constant(images)
    y = None if labels is None else tf.constant(labels)
    resize = bool(image_size) and tuple(images.shape[1:3]) != (image_size, image_size)

    def gather(idx):
        batch = tf.gather(x, idx)
        if resize:
            batch = tf.clip_by_value(
                tf.image.resize(batch, [image_size, image_size], "bilinear"), -1.0, 1.0)
        return batch if y is None else (batch, tf.gather(y, idx))

    ds = tf.data.Dataset.range(n)
    if shuffle:
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    ds = ds.map(gather, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)
