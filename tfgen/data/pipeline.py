"""In-memory arrays → a batched ``tf.data`` pipeline."""

from __future__ import annotations

import tensorflow as tf


def make_dataset_from_arrays(images, labels, batch_size: int, *, shuffle=True,
                             repeat=True, seed=0, drop_remainder=True,
                             image_size=None) -> tf.data.Dataset:
    """Shuffles, repeats, batches (global batch), resizes and prefetches."""
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    if drop_remainder and batch_size > len(images):
        raise ValueError(f"batch_size {batch_size} exceeds the {len(images)} "
                         "examples of the dataset; use a smaller batch")
    ds = tf.data.Dataset.from_tensor_slices(
        images if labels is None else (images, labels))
    if shuffle:
        ds = ds.shuffle(min(len(images), 60_000), seed=seed,
                        reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    if image_size and images.ndim == 4 and images.shape[1] != image_size:
        def resize(x):
            return tf.image.resize(x, [image_size, image_size], "bilinear")
        ds = ds.map(resize if labels is None else (lambda x, y: (resize(x), y)),
                    num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)
