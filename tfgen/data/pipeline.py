"""In-memory arrays → a batched ``tf.data`` pipeline."""

from __future__ import annotations

import tensorflow as tf

# Data epochs a repeated pipeline can run through (effectively forever).
_EPOCHS = 2 ** 40


def make_dataset_from_arrays(images, labels, batch_size: int, *, shuffle=True,
                             repeat=True, seed=0, drop_remainder=True,
                             image_size=None, start_batch: int = 0,
                             autotune: bool = True) -> tf.data.Dataset:
    """Shuffles, repeats, batches (global batch), resizes and prefetches.

    A shuffled, repeated pipeline is a pure function of ``(seed, batch
    number)``: data epoch ``e`` is the permutation drawn from ``(seed, e)``,
    and ``start_batch`` starts the stream at that batch without producing
    the batches before it (only the rest of the current data epoch is
    skipped). So a run resumed at step N reads exactly the batches an
    uninterrupted run reads from step N on.

    Args:
      images, labels: arrays with one example per row (labels may be None).
      batch_size: the global batch size.
      shuffle, repeat: shuffle each data epoch; repeat forever.
      seed: the shuffle seed.
      drop_remainder: keep every batch full (needed for even replica splits).
      image_size: resize square images to this size (bilinear).
      start_batch: index of the first batch to produce (shuffled + repeated).
      autotune: let tf.data tune its parallelism and buffers (off can be
        faster on a small CPU; see docs/BENCHMARKS.md).
    """
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    n = len(images)
    if drop_remainder and batch_size > n:
        raise ValueError(f"batch_size {batch_size} exceeds the {n} "
                         "examples of the dataset; use a smaller batch")
    if shuffle and repeat:
        epoch0, offset = divmod(int(start_batch) * batch_size, n)
        seed_t = tf.constant(int(seed), tf.int64)

        def one_epoch(e):
            perm = tf.random.experimental.stateless_shuffle(
                tf.range(n, dtype=tf.int64), seed=tf.stack([seed_t, e]))
            return tf.data.Dataset.from_tensor_slices(perm)

        order = tf.data.Dataset.range(epoch0, _EPOCHS).flat_map(one_epoch)
        order = order.skip(offset).batch(batch_size, drop_remainder=drop_remainder)
        x = tf.constant(images)
        y = None if labels is None else tf.constant(labels)
        # One gather per batch: cheaper than slicing example by example.
        ds = order.map(lambda ix: tf.gather(x, ix) if y is None
                       else (tf.gather(x, ix), tf.gather(y, ix)))
    else:
        ds = tf.data.Dataset.from_tensor_slices(
            images if labels is None else (images, labels))
        if shuffle:
            ds = ds.shuffle(min(n, 60_000), seed=seed,
                            reshuffle_each_iteration=True)
        if repeat:
            ds = ds.repeat()
        ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    if image_size and images.ndim == 4 and images.shape[1] != image_size:
        def resize(x):
            return tf.image.resize(x, [image_size, image_size], "bilinear")
        ds = ds.map(resize if labels is None else (lambda x, y: (resize(x), y)),
                    num_parallel_calls=tf.data.AUTOTUNE)
    options = tf.data.Options()
    options.autotune.enabled = bool(autotune)
    ds = ds.with_options(options)
    return ds.prefetch(tf.data.AUTOTUNE)
