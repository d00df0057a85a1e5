"""Unpaired two-domain data whose hidden counterparts are known.

CycleGAN and DiscoGAN train on unrelated images of two domains; to MEASURE
a translation we need, for every test image, the same image as it looks in
the other domain. So each pair of domains here is built from row-aligned
arrays (row i of A and row i of B are one image in two renderings), and the
training split is cut into two disjoint halves: domain A reads rendering a
of one half, domain B rendering b of the other, so no pair is ever seen in
training. The test split is whole in both domains: test row i of ``P@a`` and
test row i of ``P@b`` are counterparts, and the error of a translation
against the true counterpart is measurable (``test_pairs``).

Names: ``P@a`` (domain A) and ``P@b`` (domain B) for a pair ``P``:

* ``mnist2mnistm_like``: a = MNIST (grey, 28×28×1), b = the same digit as
  MNIST-M-like (``mnistm_like.py``: blended over a CIFAR-10 photo patch,
  28×28×3); labels are MNIST's;
* ``mnist2mnist_rgb``: a = MNIST in 3 channels (``mnist_rgb``), b =
  MNIST-M-like: equal shapes, for CycleGAN's identity loss;
* ``mnist2mnist_rot90``: a = MNIST, b = the digit rotated by 90°
  counter-clockwise (``numpy.rot90`` over height and width);
* ``mnist2mnist_inverted``: a = MNIST, b = the same digit inverted
  (``derived.inverted``: 255 − pixel), the easiest pair (a pixel-wise map);
* ``cifar10_grey`` (the paired set of ``named.py``): a = BT.601 luma,
  b = the colour photo; CIFAR-10's labels;
* any other paired name (``<base>_edges``, ``npz:PATH``, ``pairs:DIR``):
  its a and b, without labels (a user's one-split set: the "test" split is
  its train split, so halves are then the only held-out guarantee).

A run sets ``data.name = "P@a"`` and ``data.target = "P@b"`` with kind
``unpaired`` (``kinds.py`` reads these names through :func:`sources`; other
names are read by ``named.py`` as before).

Halves: the N training rows are ordered by a permutation drawn by numpy's
``default_rng(SeedSequence([N, 12]))`` (a fixed key, NOT the run's seed:
the halves must be the same for both domains of a run and across the seeds
of a benchmark); half a is its first ⌊N/2⌋ rows, half b the next ⌊N/2⌋,
each sorted. The run's seed shuffles the two streams independently
(``kinds.make``).
"""

from __future__ import annotations

import functools

import numpy as np

from tfgen.data import named
from tfgen.data.errors import DataError
from tfgen.data.info import StreamInfo

HALVES = ("a", "b")
PAIRS = ("mnist2mnistm_like", "mnist2mnist_rgb", "mnist2mnist_rot90", "mnist2mnist_inverted",
         "cifar10_grey")
_HALF_KEY = 12


def parse(name: str):
    """(pair, half) for ``P@a`` / ``P@b``; None for other names."""
    if not isinstance(name, str) or "@" not in name:
        return None
    pair, half = name.rsplit("@", 1)
    if half not in HALVES or not pair:
        raise DataError(f"unpaired domain {name!r}: write PAIR@a or PAIR@b (a half of "
                        f"a pair with known counterparts; pairs: {', '.join(PAIRS)}, "
                        "or a paired data set)")
    return pair, half


def rotate90(images: np.ndarray) -> np.ndarray:
    """Images [N, H, W, C] rotated by 90° counter-clockwise."""
    return np.ascontiguousarray(np.rot90(images, k=1, axes=(1, 2)))


@functools.lru_cache(maxsize=8)
def _aligned(pair: str, split: str, data_dir):
    """(a, b, labels or None): row-aligned float32 images in [-1, 1]."""
    if pair.startswith("mnist2") and pair in PAIRS:
        x, y = named.load_arrays("mnist", split, data_dir)
        if pair == "mnist2mnist_rot90":
            return x, rotate90(x), y
        if pair == "mnist2mnist_inverted":  # in [-1, 1]: 255 − p is −x
            return x, np.ascontiguousarray(-x), y
        b, _ = named.load_arrays("mnistm_like", split, data_dir)
        a = x if pair == "mnist2mnistm_like" else named.load_arrays(
            "mnist_rgb", split, data_dir)[0]
        return a, b, y
    try:
        a, b = named.load_pairs(pair, split, data_dir)
    except DataError as err:
        raise DataError(f"unpaired domain {pair}@...: {pair!r} is neither a built-in "
                        f"pair ({', '.join(PAIRS)}) nor a paired data set ({err})") from None
    labels = named.load_arrays("cifar10", split, data_dir)[1] if pair == "cifar10_grey" \
        else None
    return a, b, labels


def halves(n: int):
    """(rows of half a, rows of half b): disjoint, sorted, ⌊n/2⌋ each."""
    perm = np.random.default_rng(np.random.SeedSequence([int(n), _HALF_KEY])).permutation(n)
    half = n // 2
    return np.sort(perm[:half]), np.sort(perm[half:2 * half])


def load_arrays(name: str, split: str = "train", data_dir: str | None = None):
    """(images, labels or None) of domain ``P@a`` or ``P@b`` (see module docstring).

    The train split holds the domain's half; the test split every row.
    """
    pair, half = parse(name)
    a, b, labels = _aligned(pair, split, _resolve(data_dir))
    x = a if half == "a" else b
    if split == "train":
        rows = halves(len(a))[HALVES.index(half)]
        return x[rows], None if labels is None else labels[rows]
    return x, labels


def test_pairs(pair: str, data_dir: str | None = None, split: str = "test"):
    """(a, b, labels or None) of ``split``, row i of a and b counterparts."""
    if pair not in PAIRS:
        parse(pair + "@a")
    return _aligned(pair, split, _resolve(data_dir))


def _resolve(data_dir):
    from tfgen.data import sources

    return sources.resolve_dir(data_dir)


def _source(name, split, data_dir):
    if parse(name) is None:
        if name in named.PAIRED:
            raise DataError(f"{name} is a paired data set, but kind unpaired reads two "
                            f"domains; use name={name}@a and target={name}@b (its two "
                            "renderings from disjoint halves)")
        return ((named.load_arrays(name, split, data_dir)[0],),
                named.stream_info(name, split, data_dir))
    x, y = load_arrays(name, split, data_dir)
    classes = 0 if y is None else int(y.max()) + 1
    return (x,), StreamInfo(x.shape[1:], classes, 0, len(x))


def sources(name: str, target: str, split: str = "train", data_dir=None) -> list:
    """Each domain's arrays and StreamInfo, for ``kinds`` (A = name, B = target)."""
    pa, pb = parse(name), parse(target)
    if pa is not None and pa == pb:
        raise DataError(f"name and target are both {name}: domains A and B would read "
                        f"the same half; use {pa[0]}@a and {pa[0]}@b")
    return [_source(n, split, data_dir) for n in (name, target)]
