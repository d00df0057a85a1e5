"""In-memory arrays → a batched ``tf.data`` pipeline.

Every data kind (``kinds.py``) is built from :func:`stream`: one or more
arrays with one example per row, read in one order, so that the rows of a
batch stay aligned across arrays (an image and its label, a pair's two
halves). Kinds that read several independent sources zip several streams
and finish the result once with :func:`finish`.
"""

from __future__ import annotations

import weakref

import numpy as np
import tensorflow as tf

# Data epochs a repeated pipeline can run through (effectively forever).
_EPOCHS = 2 ** 40

# id(array) -> its tensor, for the arrays of live streams (see _tensor).
_TENSORS: dict = {}


def _tensor(array: np.ndarray) -> tf.Tensor:
    """``array`` as a tensor, made once while ``array`` lives.

    ``tf.constant`` copies a numpy array (measured: even one aligned to 64
    bytes, with resident memory growing by twice its size), and data sets
    come from cached arrays (``named.load_arrays``), so every new pipeline
    over MNIST-M-like held another 538 MB until garbage collection freed it;
    the trainer builds one per ``fit`` call and a test file many. Only
    read-only arrays (the cache returns them so) are shared, since a tensor
    would not follow a write; the tensor is dropped with the array.
    """
    if array.flags.writeable:
        return tf.constant(array)
    key = id(array)
    hit = _TENSORS.get(key)
    if hit is not None and hit[0]() is array:
        return hit[1]
    t = tf.constant(array)
    try:
        ref = weakref.ref(array, lambda _, k=key: _TENSORS.pop(k, None))
    except TypeError:  # an object without weak references: no reuse
        return t
    _TENSORS[key] = (ref, t)
    return t


def derived_seed(seed: int, stream: int) -> int:
    """The shuffle seed of a run's extra stream ``stream`` (1, 2, ...).

    Stream 0 uses the run's seed itself; stream k > 0 uses a number drawn
    by numpy's ``SeedSequence`` from (seed, k), so that two streams of one
    run are shuffled independently even when they read the same arrays.
    """
    if stream == 0:
        return int(seed)
    ss = np.random.SeedSequence([int(seed) % 2 ** 63, int(stream)])
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def stream(arrays, batch_size: int, *, shuffle=True, repeat=True, seed=0,
           drop_remainder=True, image_size=None, start_batch: int = 0,
           wrap: bool = False) -> tf.data.Dataset:
    """Batches of the same rows of every array in ``arrays`` (not finished).

    A repeated stream is a pure function of ``(seed, batch number)``: data
    epoch ``e`` reads the rows in the order drawn from ``(seed, e)`` (or in
    order without ``shuffle``), and ``start_batch`` starts the stream at
    that batch without producing the batches before it (only the rest of
    the current data epoch is skipped). So a run resumed at step N reads
    exactly the batches an uninterrupted run reads from step N on. A
    stream without ``repeat`` is one pass; ``start_batch`` skips batches.

    Args:
      arrays: a tuple of arrays with the same number of rows.
      batch_size: the global batch size.
      shuffle, repeat: shuffle each data epoch; repeat forever.
      seed: the shuffle seed.
      drop_remainder: keep every batch full (needed for even replica splits).
      image_size: resize square images (rank-4 arrays) to this size
        (bilinear); other arrays are left as they are.
      start_batch: index of the first batch to produce.
      wrap: let a repeated stream's batches hold more rows than the arrays
        (a batch then reads from two or more data epochs), as a small
        labelled subset needs; otherwise that is an error.

    Returns:
      A ``tf.data.Dataset`` of tuples like ``arrays``, or of single tensors
      when ``arrays`` has one array.
    """
    arrays = tuple(np.asarray(a) for a in arrays)
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"arrays of {[len(a) for a in arrays]} rows; a stream's "
                         "arrays need one row per example each")
    if drop_remainder and batch_size > n and not (wrap and repeat):
        raise ValueError(f"batch_size {batch_size} exceeds the {n} "
                         "examples of the dataset; use a smaller batch")
    single = len(arrays) == 1
    if repeat:
        epoch0, offset = divmod(int(start_batch) * batch_size, n)
        seed_t = tf.constant(int(seed), tf.int64)

        def one_epoch(e):
            rows = tf.range(n, dtype=tf.int64)
            if shuffle:
                rows = tf.random.experimental.stateless_shuffle(
                    rows, seed=tf.stack([seed_t, e]))
            return tf.data.Dataset.from_tensor_slices(rows)

        order = tf.data.Dataset.range(epoch0, _EPOCHS).flat_map(one_epoch)
        order = order.skip(offset).batch(batch_size, drop_remainder=drop_remainder)
        consts = tuple(_tensor(a) for a in arrays)
        # One gather per batch: cheaper than slicing example by example.
        ds = order.map(lambda ix: tf.gather(consts[0], ix) if single
                       else tuple(tf.gather(c, ix) for c in consts))
    else:
        ds = tf.data.Dataset.from_tensor_slices(arrays[0] if single else arrays)
        if shuffle:
            ds = ds.shuffle(min(n, 60_000), seed=seed,
                            reshuffle_each_iteration=True)
        ds = ds.batch(batch_size, drop_remainder=drop_remainder)
        if start_batch:
            ds = ds.skip(int(start_batch))
    resize = [bool(image_size) and a.ndim == 4 and a.shape[1] != image_size
              for a in arrays]
    if any(resize):
        def resize_all(*xs):
            xs = tuple(tf.image.resize(x, [image_size, image_size], "bilinear")
                       if r else x for x, r in zip(xs, resize))
            return xs[0] if single else xs
        ds = ds.map(resize_all, num_parallel_calls=tf.data.AUTOTUNE)
    return ds


def finish(ds: tf.data.Dataset, autotune: bool = True) -> tf.data.Dataset:
    """Sets the tf.data options and prefetches: the last step of every kind."""
    options = tf.data.Options()
    options.autotune.enabled = bool(autotune)
    ds = ds.with_options(options)
    return ds.prefetch(tf.data.AUTOTUNE)


def make_dataset_from_arrays(images, labels, batch_size: int, *, shuffle=True,
                             repeat=True, seed=0, drop_remainder=True,
                             image_size=None, start_batch: int = 0,
                             autotune: bool = True) -> tf.data.Dataset:
    """Shuffles, repeats, batches (global batch), resizes and prefetches.

    Images, or (images, labels) when ``labels`` is not None; see
    :func:`stream` for the order of the examples and ``start_batch``.

    Args:
      images, labels: arrays with one example per row (labels may be None).
      batch_size: the global batch size.
      shuffle, repeat: shuffle each data epoch; repeat forever.
      seed: the shuffle seed.
      drop_remainder: keep every batch full (needed for even replica splits).
      image_size: resize square images to this size (bilinear).
      start_batch: index of the first batch to produce.
      autotune: let tf.data tune its parallelism and buffers (off can be
        faster on a small CPU; see docs/BENCHMARKS.md).
    """
    arrays = (images,) if labels is None else (images, labels)
    return finish(stream(arrays, batch_size, shuffle=shuffle, repeat=repeat,
                         seed=seed, drop_remainder=drop_remainder,
                         image_size=image_size, start_batch=start_batch), autotune)


def split_global_batches(ds: tf.data.Dataset, lo: int, hi: int,
                         per_replica: int) -> tf.data.Dataset:
    """Rows ``lo:hi`` of every global batch, re-batched per replica.

    Works on any element structure (a tensor, a pair, ``((x, y), u)``): a
    worker of a multi-worker run keeps its contiguous slice of each global
    batch, and every tensor of an element is sliced alike.
    """
    def part(*xs):
        element = xs if isinstance(ds.element_spec, tuple) else xs[0]
        return tf.nest.map_structure(lambda t: t[lo:hi], element)

    return ds.map(part).unbatch().batch(per_replica, drop_remainder=True)
