"""Data kinds: element structure, alignment, independence, subsets, resumes, errors."""

import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from tfgen import data
from tfgen.data import DataError
from tfgen.data.derived import outline

N = 13  # examples of the small files: batches of 4 straddle data epochs


def _index_images(n, offset=0):
    """uint8 [n, 4, 4, 1] images whose pixels all hold their row index + offset."""
    return np.broadcast_to((np.arange(n) + offset).astype(np.uint8)[:, None, None, None],
                           (n, 4, 4, 1)).copy()


def _ids(x):
    """Row indices back from float images made by _index_images."""
    return np.rint((np.asarray(x)[:, 0, 0, 0] + 1.0) * 127.5).astype(int)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("kinds")
    x = _index_images(N)
    paths = {k: str(d / f"{k}.npz") for k in ("images", "unlabelled", "pairs", "tokens")}
    np.savez(paths["images"], images=x, labels=np.arange(N) % 3)
    np.savez(paths["unlabelled"], images=_index_images(N + 4, offset=100))
    # b = 255 - a: a pair can be checked from its two halves alone.
    np.savez(paths["pairs"], a=x, b=255 - x)
    tokens = (np.arange(N)[:, None] + np.arange(5)[None]) % 17  # row i starts at i
    np.savez(paths["tokens"], tokens=tokens, vocab_size=np.int64(20))
    return {k: "npz:" + p for k, p in paths.items()}


def _kind_args(files):
    return {
        "images": dict(name=files["images"]),
        "labelled": dict(name=files["images"]),
        "paired": dict(name=files["pairs"]),
        "unpaired": dict(name=files["images"], target=files["images"]),
        "semi_supervised": dict(name=files["images"], target=files["unlabelled"],
                                labelled_examples=6),
        "tokens": dict(name=files["tokens"]),
    }


def _batches(ds, n):
    return [tf.nest.map_structure(lambda t: t.numpy(), e) for e in ds.take(n)]


def _assert_same(xs, ys):
    assert len(xs) == len(ys)
    for x, y in zip(xs, ys):
        tf.nest.assert_same_structure(x, y)
        for p, q in zip(tf.nest.flatten(x), tf.nest.flatten(y)):
            assert p.dtype == q.dtype
            np.testing.assert_array_equal(p, q)


def test_every_kind_has_its_documented_structure(files):
    assert set(data.KINDS) == set(data.STREAMS) == set(_kind_args(files))
    f32, i64 = tf.float32, tf.int64
    img = ([4, 4, 4, 1], f32)
    expected = {"images": img, "labelled": (img, ([4], i64)), "paired": (img, img),
                "unpaired": (img, img), "semi_supervised": ((img, ([4], i64)), img),
                "tokens": ([4, 5], tf.int32)}

    def spec(s):
        return tuple(spec(t) for t in s) if isinstance(s, tuple) else \
            (s.shape.as_list(), s.dtype)

    for kind, kw in _kind_args(files).items():
        ds = data.make(kind, batch_size=4, **kw)
        assert spec(ds.element_spec) == expected[kind], kind
        info = data.info_for(kind, **kw)
        assert info.kind == kind and tuple(info.streams) == data.STREAMS[kind]
        for s in info.streams.values():
            assert s.shape in ((4, 4, 1), (5,))
    # Image values lie in [-1, 1]; token ids below the vocabulary size.
    (xl, yl), xu = _batches(data.make("semi_supervised", batch_size=4,
                                      **_kind_args(files)["semi_supervised"]), 1)[0]
    assert xl.min() >= -1 and xu.max() <= 1 and set(yl) <= {0, 1, 2}
    info = data.info_for("tokens", files["tokens"])
    assert info.vocab_size == 20 and info.shape == (5,)


@pytest.mark.parametrize("labelled", [False, True])
def test_images_and_labelled_equal_make_dataset(labelled):
    kw = dict(seed=3, start_batch=7, image_size=16)
    kind = "labelled" if labelled else "images"
    ours = _batches(data.make(kind, "digits", 32, **kw), 60)  # > 1 epoch of 1,797
    theirs = _batches(data.make_dataset("digits", 32, with_labels=labelled, **kw), 60)
    _assert_same(ours, theirs)


def test_paired_keeps_each_pair_through_shuffles(files):
    batches = _batches(data.make("paired", files["pairs"], 4, seed=5), 12)
    seen = []
    for a, b in batches:
        np.testing.assert_allclose(b, -a, atol=1e-6)  # b = 255 - a, in [-1, 1]
        seen += list(_ids(a))
    assert sorted(seen[:N]) == list(range(N))  # one data epoch: every pair once
    assert seen[:N] != list(range(N))  # and shuffled
    a, b = _batches(data.make("paired", "mnist5k_edges", 8), 1)[0]
    assert a.shape == b.shape == (8, 28, 28, 1)
    # a is b's outline: 3×3 maximum minus minimum, in 0..255.
    a8, b8 = (np.rint((t + 1) * 127.5).astype(np.uint8) for t in (a, b))
    np.testing.assert_array_equal(a8, outline(b8))
    assert a8[:, 0, 0].max() == 0 and a8.max() > 200


def test_unpaired_streams_are_independent_shuffles_covering_each_domain(files):
    name = files["images"]
    ds = data.make("unpaired", name, 4, target=name, seed=2)
    epochs = 3 * N  # examples of three data epochs, in whole batches
    batches = _batches(ds, epochs // 4)
    a = np.concatenate([_ids(x) for x, _ in batches])
    b = np.concatenate([_ids(y) for _, y in batches])
    for e in range(len(a) // N):
        assert sorted(a[e * N:(e + 1) * N]) == list(range(N))
        assert sorted(b[e * N:(e + 1) * N]) == list(range(N))
    assert np.mean(a == b) < 0.3  # same arrays, but a[i] is not b[i]
    # Domain A's stream is the images stream of the run's seed.
    images = _batches(data.make("images", name, 4, seed=2), len(batches))
    np.testing.assert_array_equal(np.concatenate(images)[:, 0, 0, 0],
                                  np.concatenate([x for x, _ in batches])[:, 0, 0, 0])


def test_labelled_subset_is_balanced_deterministic_and_sized():
    _, y = data.load_arrays("mnist5k")
    rows = data.labelled_subset(y, 100, seed=0)
    assert len(rows) == len(set(rows)) == 100 and np.all(np.diff(rows) > 0)
    assert np.all(np.bincount(y[rows], minlength=10) == 10)
    np.testing.assert_array_equal(rows, data.labelled_subset(y, 100, seed=0))
    assert not np.array_equal(rows, data.labelled_subset(y, 100, seed=1))
    counts = np.bincount(y[data.labelled_subset(y, 105, seed=4)], minlength=10)
    assert sorted(counts) == [10] * 5 + [11] * 5
    assert len(data.labelled_subset(y, 0)) == len(y)


def test_semi_supervised_reads_the_subset_and_the_whole_target(files):
    kw = _kind_args(files)["semi_supervised"]
    _, y = data.load_arrays(files["images"])
    subset = data.labelled_subset(y, 6, seed=9)
    batches = _batches(data.make("semi_supervised", batch_size=2, seed=9, **kw), 9)
    labelled = np.concatenate([_ids(x) for (x, _), _ in batches])
    labels = np.concatenate([yl for (_, yl), _ in batches])
    unlabelled = np.concatenate([_ids(u) for _, u in batches])
    for e in range(3):  # three epochs of the 6 labelled examples
        assert sorted(labelled[6 * e:6 * e + 6]) == list(subset)
    np.testing.assert_array_equal(labels, y[labelled])
    assert sorted(unlabelled[:N + 4]) == list(range(100, 100 + N + 4))
    info = data.info_for("semi_supervised", **kw)
    assert info.streams["labelled"].num_examples == 6 and info.num_classes == 3
    assert info.streams["unlabelled"].num_examples == N + 4
    # A subset smaller than a batch: each batch reads from two data epochs.
    (x, _), _ = _batches(data.make("semi_supervised", batch_size=8, seed=9, **kw), 1)[0]
    assert sorted(_ids(x)[:6]) == list(subset) and set(_ids(x)[6:]) <= set(subset)
    # Without a target, the source's own images, labels dropped.
    (x, _), u = _batches(data.make("semi_supervised", files["images"], 4), 1)[0]
    assert set(_ids(u)) <= set(range(N))


@pytest.mark.parametrize("kind", list(data.KINDS))
def test_start_batch_continues_every_stream(files, kind):
    kw = _kind_args(files)[kind]
    full = _batches(data.make(kind, batch_size=4, seed=11, **kw), 12)
    resumed = _batches(data.make(kind, batch_size=4, seed=11, start_batch=5, **kw), 7)
    _assert_same(resumed, full[5:])
    again = _batches(data.make(kind, batch_size=4, seed=11, **kw), 12)
    _assert_same(again, full)  # bit-identical on a second build


def test_replicas_split_every_tensor_of_nested_elements(files, two_replicas):
    for kind in ("semi_supervised", "paired"):
        ds = data.make(kind, batch_size=4, seed=1, **_kind_args(files)[kind])
        whole = _batches(ds, 1)[0]
        dist = next(iter(two_replicas.experimental_distribute_dataset(ds)))
        parts = tf.nest.map_structure(
            lambda v: [t.numpy() for t in two_replicas.experimental_local_results(v)],
            dist)
        for w, p in zip(tf.nest.flatten(whole), _leaves(parts)):
            assert len(p) == 2 and len(p[0]) == 2
            np.testing.assert_array_equal(np.concatenate(p), w)
        # One worker's slice of each global batch, the same for every tensor.
        part = _batches(data.split_global_batches(ds, 2, 4, 1), 2)
        flat = tf.nest.flatten(part[0])
        for w, got in zip(tf.nest.flatten(whole), flat):
            np.testing.assert_array_equal(got, w[2:3])


def _leaves(parts):
    """The per-replica lists of a structure whose leaves are lists of arrays."""
    if isinstance(parts, tuple):
        return sum((_leaves(p) for p in parts), [])
    return [parts]


def test_dataset_info_streams_and_compatibility():
    old = data.DatasetInfo("mnist5k", (32, 32, 1), 10, 5000)
    assert old.shape == (32, 32, 1) and old.streams["x"].num_classes == 10
    info = data.dataset_info("mnist5k")
    assert (info.shape, info.num_classes, info.num_examples) == ((28, 28, 1), 10, 5000)
    moved = dataclasses.replace(info, shape=(32, 32, 1))
    assert moved.streams["x"].shape == (32, 32, 1) == moved.shape
    assert info.resized(32) == moved and info.resized(0) == info
    hash(info)
    pairs = data.info_for("unpaired", "mnist5k", target="mnist5k_colour", image_size=16)
    assert pairs.streams["b"].shape == (16, 16, 3) and pairs.shape == (16, 16, 1)
    with pytest.raises(ValueError, match="primary stream 'a'"):
        dataclasses.replace(pairs, shape=(8, 8, 1))
    assert data.info_for("unpaired", "mnist5k", target="mnist5k_colour").resized(16) \
        == pairs


def test_derived_variants_and_the_token_oracle():
    x, y = data.load_arrays("mnist5k")
    xi, yi = data.load_arrays("mnist5k_inverted")
    xc, yc = data.load_arrays("mnist5k_colour")
    np.testing.assert_allclose(xi, -x, atol=1e-6)
    assert xc.shape == (5000, 28, 28, 3) and np.array_equal(y, yi) and np.array_equal(y, yc)
    # Full strokes are the background colour shifted by 128 in every channel.
    grey, rgb = (np.rint((t + 1) * 127.5).astype(int) for t in (x, xc))
    background = rgb[:, :1, :1]  # MNIST's corners are empty
    stroke = np.broadcast_to(grey == 255, rgb.shape)
    shifted = np.broadcast_to((background + 128) % 256, rgb.shape)
    np.testing.assert_array_equal(rgb[stroke], shifted[stroke])
    t, vocab = data.load_tokens("markov_oracle")
    assert t.shape == (10_000, 20) and t.dtype == np.int32 and vocab == 64
    assert t.min() >= 0 and t.max() < 64
    oracle = data.markov_oracle()
    np.testing.assert_array_equal(t[:50], oracle.sample(10_000, 1)[:50])
    uniform = np.random.default_rng(0).integers(0, 64, t[:500].shape)
    assert oracle.log_prob(t[:500]).mean() > oracle.log_prob(uniform).mean() + 50
    test, _ = data.load_tokens("markov_oracle", "test")
    assert len(test) == 2000 and not np.array_equal(test[:5], t[:5])


def _one_line_error(fn, match):
    with pytest.raises(DataError, match=match) as e:
        fn()
    assert "\n" not in str(e.value)


def test_bad_kinds_and_arguments(files):
    img = files["images"]
    _one_line_error(lambda: data.make("pairs", img, 4), "unknown data kind 'pairs'.*paired")
    _one_line_error(lambda: data.make("unpaired", img, 4), "needs target=")
    _one_line_error(lambda: data.make("images", img, 4, target=img), "drop target")
    _one_line_error(lambda: data.make("labelled", img, 4, labelled_examples=3),
                    "only applies to kind semi_supervised")
    _one_line_error(lambda: data.make("semi_supervised", files["unlabelled"], 4),
                    "has no labels")
    _one_line_error(lambda: data.make("semi_supervised", img, 4, labelled_examples=2),
                    "fewer than the 3 classes")
    _one_line_error(lambda: data.make("semi_supervised", img, 4, labelled_examples=14),
                    "has 13 labelled examples")
    _one_line_error(lambda: data.make("semi_supervised", img, 4, labelled_examples=13),
                    "needs 5 examples of class .* choose at most 12")
    _one_line_error(lambda: data.info_for("semi_supervised", "mnist5k",
                                          target="mnist5k_colour"),
                    r"shape \(28, 28, 1\) but target mnist5k_colour \(28, 28, 3\)")
    _one_line_error(lambda: data.make("paired", "mnist5k", 4), "unknown paired dataset")
    _one_line_error(lambda: data.make("tokens", "mnist5k", 4), "unknown token dataset")
    _one_line_error(lambda: data.make("paired", files["pairs"], 4, split="test"),
                    "no split 'test'")


@pytest.mark.parametrize("arrays, match", [
    (dict(a=np.zeros((3, 4, 4), np.uint8)), "no 'b' array"),
    (dict(a=np.zeros((3, 4, 4), np.uint8), b=np.zeros((2, 4, 4), np.uint8)),
     "3 'a' images but 2 'b' images"),
    (dict(a=np.zeros((3, 4, 4), np.uint8), b=np.zeros((3, 8, 8, 3), np.uint8)),
     "'a' images are 4×4 but 'b' images 8×8; resize"),
    (dict(a=np.zeros((3, 4, 4), np.int32), b=np.zeros((3, 4, 4), np.uint8)),
     "'a' has dtype int32"),
    (dict(a=np.zeros((3, 4, 4), np.uint8), b=np.full((3, 4, 4), 2.0)),
     "float 'b' must lie in"),
])
def test_bad_paired_files(tmp_path, arrays, match):
    path = tmp_path / "p.npz"
    np.savez(path, **arrays)
    _one_line_error(lambda: data.make("paired", f"npz:{path}", 2), match)


@pytest.mark.parametrize("arrays, match", [
    (dict(images=np.zeros((3, 4), np.int32)), "no 'tokens' array"),
    (dict(tokens=np.zeros((3, 4), np.float32)), "dtype float32.*integer"),
    (dict(tokens=np.array([[1, -1]])), "include -1"),
    (dict(tokens=np.arange(5)), r"shape \(5,\).*one sequence per row"),
    (dict(tokens=np.zeros((0, 4), np.int32)), "holds no tokens"),
    (dict(tokens=np.array([[1, 7]]), vocab_size=np.int64(5)),
     "7 is not below vocab_size 5"),
    (dict(tokens=np.array([[1, 2]]), vocab_size=np.array([5, 6])), "one positive whole"),
])
def test_bad_token_files(tmp_path, arrays, match):
    path = tmp_path / "t.npz"
    np.savez(path, **arrays)
    _one_line_error(lambda: data.make("tokens", f"npz:{path}", 1), match)
