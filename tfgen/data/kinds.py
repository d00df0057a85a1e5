"""Data kinds: the one contract between a method and its data.

A method names the kind of data it trains on; :func:`make` builds that
kind's ``tf.data`` pipeline and :func:`info_for` describes its streams.
:data:`KINDS` below is the one description of every kind's element (B is
the GLOBAL batch size; ``distribute`` splits every tensor of an element
along its first axis over the replicas).

Every stream is built by ``pipeline.stream`` from in-memory arrays, so each
is shuffled per data epoch as a pure function of (seed, batch number) and
starts at ``start_batch`` without reading the batches before it: a resumed
run reads exactly the batches of an uninterrupted one, for every kind. A
kind with two sources reads them as two streams: the first shuffled with
the run's seed, the second with ``pipeline.derived_seed(seed, 1)``, so
they are independent even when both read the same arrays.

Semi-supervised subset: ``labelled_examples`` = N > 0 keeps a
class-balanced subset of the source's labelled examples (see
:func:`labelled_subset`); 0 keeps them all.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen.data import named, unpaired
from tfgen.data.errors import DataError
from tfgen.data.info import DatasetInfo, StreamInfo
from tfgen.data.pipeline import derived_seed, finish, stream

KINDS = {
    "images": "x: float32 [B, H, W, C] in [-1, 1] ([B, 2] for 2-D mixtures)",
    "labelled": "(x: float32 [B, H, W, C] in [-1, 1], y: int64 [B] class ids 0..K-1)",
    "paired": "(a: float32 [B, H, W, Ca], b: float32 [B, H, W, Cb]), both in "
              "[-1, 1]; a[i] and b[i] are one pair (shuffled together)",
    "unpaired": "(a: float32 [B, ...] from domain A = name, b: float32 [B, ...] "
                "from domain B = target), in [-1, 1]; two independent shuffles, "
                "so a[i] and b[i] are unrelated",
    "semi_supervised": "((x_l: float32 [B, ...], y_l: int64 [B]), x_u: float32 "
                       "[B, ...]): a labelled source batch (name, labelled_examples "
                       "of it) and an unlabelled target batch (target, default "
                       "name) of the same shape; independent shuffles",
    "tokens": "int32 [B, T] token ids 0..V-1",
}
# Stream names per kind, primary first (DatasetInfo.streams).
STREAMS = {"images": ("x",), "labelled": ("x",), "paired": ("a", "b"),
           "unpaired": ("a", "b"), "semi_supervised": ("labelled", "unlabelled"),
           "tokens": ("tokens",)}
_TWO_SOURCES = ("unpaired", "semi_supervised")
# The key that, with the run's seed, draws the labelled subset.
_SUBSET_KEY = 1000


def labelled_subset(labels, n: int, seed: int = 0) -> np.ndarray:
    """Sorted row indices of ``n`` labelled examples, balanced over the classes.

    Each of the K classes present gets ``n // K`` examples; the ``n % K``
    classes first in a seeded permutation of the classes get one more. A
    class's examples are the first of a seeded permutation of its rows.
    The generator is numpy's ``default_rng(SeedSequence([seed, 1000]))``
    (``seed`` taken mod 2**63), so the subset is a function of the run's
    seed only. ``n = 0`` keeps every row.
    """
    labels = np.asarray(labels)
    if n == 0:
        return np.arange(len(labels))
    classes, counts = np.unique(labels, return_counts=True)
    k = len(classes)
    if n < 0 or n > len(labels):
        raise DataError(f"labelled_examples={n} but the source has {len(labels)} "
                        f"labelled examples; choose 0 (all) or 1..{len(labels)}")
    if n < k:
        raise DataError(f"labelled_examples={n} is fewer than the {k} classes; "
                        f"choose at least {k} (one per class) or 0 for all")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed) % 2 ** 63,
                                                        _SUBSET_KEY]))
    quota = np.full(k, n // k)
    quota[rng.permutation(k)[: n % k]] += 1
    rows = []
    for c, q, have in zip(classes, quota, counts):
        if q > have:
            raise DataError(f"labelled_examples={n} needs {q} examples of class {c} "
                            f"but the source has {have}; choose at most "
                            f"{k * counts.min()} for an even split, or 0 for all")
        rows.append(rng.permutation(np.flatnonzero(labels == c))[:q])
    return np.sort(np.concatenate(rows))


def _check_args(kind, target, labelled_examples):
    if kind not in KINDS:
        raise DataError(f"unknown data kind {kind!r}; valid: {', '.join(KINDS)}")
    if target is not None and kind not in _TWO_SOURCES:
        raise DataError(f"kind {kind} reads one source but target={target!r} was "
                        f"given; drop target, or use {' or '.join(_TWO_SOURCES)}")
    if kind == "unpaired" and not target:
        raise DataError("kind unpaired needs target=DOMAIN_B, a second data set "
                        "(e.g. name=mnist5k, target=mnist5k_inverted)")
    if labelled_examples and kind != "semi_supervised":
        raise DataError(f"labelled_examples={labelled_examples} only applies to "
                        f"kind semi_supervised, not {kind}; drop it")


def _labelled(name, split, data_dir):
    x, y = named.load_arrays(name, split, data_dir)
    if y is None:
        raise DataError(f"{name} has no labels but kind labelled / semi_supervised "
                        "reads labels; use labelled data (a folder with one "
                        "sub-folder per class, an npz with 'labels', a named set)")
    return x, y


def _sources(kind, name, target, data_dir, split, labelled_examples, seed):
    """Each stream's arrays and StreamInfo (before resizing), in order."""
    if kind == "paired":
        a, b = named.load_pairs(name, split, data_dir)
        n = len(a)
        return [((a, b), StreamInfo(a.shape[1:], 0, 0, n)),
                (None, StreamInfo(b.shape[1:], 0, 0, n))]
    if kind == "tokens":
        t, vocab = named.load_tokens(name, split)
        return [((t,), StreamInfo(t.shape[1:], 0, vocab, len(t)))]
    if kind == "unpaired":  # P@a / P@b halves, or any two named sets
        return unpaired.sources(name, target, split, data_dir)
    if kind == "semi_supervised":
        x, y = _labelled(name, split, data_dir)
        if labelled_examples:
            rows = labelled_subset(y, labelled_examples, seed)
            x, y = x[rows], y[rows]
        source = named.stream_info(name, split, data_dir)
        target = target or name
        xu = named.load_arrays(target, split, data_dir)[0]
        return [((x, y), StreamInfo(source.shape, source.num_classes, 0, len(y))),
                ((xu,), named.stream_info(target, split, data_dir))]
    x, y = _labelled(name, split, data_dir) if kind == "labelled" else \
        named.load_arrays(name, split, data_dir)
    return [((x, y) if kind == "labelled" else (x,),
             named.stream_info(name, split, data_dir))]


def _check_shapes(kind, name, target, infos):
    if kind == "semi_supervised" and infos[0].shape != infos[1].shape:
        raise DataError(
            f"semi_supervised: source {name} has examples of shape {infos[0].shape} "
            f"but target {target or name} {infos[1].shape}; one network reads "
            "both, so choose a target of the same shape (channels; image_size "
            "resizes height and width)")


def info_for(kind: str, name: str, data_dir: str | None = None, *,
             target: str | None = None, image_size: int | None = 0,
             labelled_examples: int = 0, split: str = "train") -> DatasetInfo:
    """The streams of ``name`` read as ``kind``, with shapes after resizing.

    Arguments as for :func:`make`. Streams: ``x`` (images, labelled), ``a``
    and ``b`` (paired, unpaired), ``labelled`` and ``unlabelled``
    (semi_supervised: num_examples of ``labelled`` is the subset's size;
    num_classes of ``unlabelled`` is the target's, for evaluation only),
    ``tokens`` (shape (T,), vocab_size V).
    """
    target = target or None
    _check_args(kind, target, labelled_examples)
    parts = _sources(kind, name, target, data_dir, split, labelled_examples, 0)
    infos = [s.resized(image_size) for _, s in parts]
    _check_shapes(kind, name, target, infos)
    streams = dict(zip(STREAMS[kind], infos))
    if kind == "semi_supervised":
        target = target or name
    return DatasetInfo(name, kind=kind, streams=streams, target=target)


def make(kind: str, name: str, batch_size: int, *, target: str | None = None,
         data_dir: str | None = None, seed: int = 0, start_batch: int = 0,
         image_size: int | None = None, autotune: bool = True,
         labelled_examples: int = 0, split: str = "train", shuffle: bool = True,
         repeat: bool = True, drop_remainder: bool = True) -> tf.data.Dataset:
    """The ``tf.data`` pipeline of ``kind`` (element structure: :data:`KINDS`).

    Args:
      kind: a key of :data:`KINDS`.
      name: the data set (the source, or domain A); see ``named.py``.
      batch_size: the GLOBAL batch size, for each stream of the element.
      target: the second data set: domain B (unpaired, required) or the
        unlabelled target (semi_supervised; default ``name``).
      data_dir: data folder (default ``$TFGEN_DATA_DIR``).
      seed: the run's seed; shuffles and the labelled subset derive from it.
      start_batch: first batch of every stream (a resumed run's step).
      image_size: resize square images of every stream to this size.
      autotune: tf.data autotuning (see ``pipeline.finish``).
      labelled_examples: semi_supervised: size of the class-balanced
        labelled subset (0: every labelled example).
      split: "train" or "test" where the data set has it.
      shuffle, repeat, drop_remainder: as for ``make_dataset``; without
        ``repeat`` two-source kinds end with their shorter stream. Repeated
        semi_supervised streams may be smaller than a batch (100 labels,
        batch 128): a batch then reads from two data epochs.

    Returns:
      A ``tf.data.Dataset``; for images and labelled exactly the batches of
      ``make_dataset`` (``with_labels`` for labelled).
    """
    target = target or None
    _check_args(kind, target, labelled_examples)
    common = dict(shuffle=shuffle, repeat=repeat, drop_remainder=drop_remainder,
                  image_size=image_size, start_batch=start_batch)
    if kind in ("images", "labelled"):
        return named.make_dataset(name, batch_size, split, data_dir, seed=seed,
                                  with_labels=kind == "labelled",
                                  autotune=autotune, **common)
    parts = _sources(kind, name, target, data_dir, split, labelled_examples, seed)
    _check_shapes(kind, name, target, [s.resized(image_size) for _, s in parts])
    # A labelled subset may be smaller than a batch: its batches wrap around.
    common["wrap"] = kind == "semi_supervised"
    streams = [stream(arrays, batch_size, seed=derived_seed(seed, i), **common)
               for i, (arrays, _) in enumerate(parts) if arrays is not None]
    ds = streams[0] if len(streams) == 1 else tf.data.Dataset.zip(tuple(streams))
    return finish(ds, autotune)
