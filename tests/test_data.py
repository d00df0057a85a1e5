"""Named datasets: contents of the real files, user sources, pipelines and every error path."""

import gzip
import os
import shutil
import struct

import numpy as np
import pytest
from PIL import Image

from tfgen import data
from tfgen.data import DataError, folders
from tfgen.data import mnist as mnist_src

DEBIAN_FASHION = "/usr/share/datasets/fashion-mnist"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    # Decoded-archive caches go to a test folder, never to ~/.cache.
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _link_idx_files(src, dst, split="test"):
    os.makedirs(dst, exist_ok=True)
    for f in mnist_src.IDX_FILES[split]:
        os.symlink(os.path.join(src, f), os.path.join(dst, f))


def _write_png(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(np.asarray(array, np.uint8)).save(path)


# --- MNIST family ---------------------------------------------------------------

def test_mnist_splits_counts_range_and_known_labels(shared_data):
    x, y = data.load_arrays("mnist", "train", shared_data)
    xt, yt = data.load_arrays("mnist", "test", shared_data)
    assert x.shape == (60000, 28, 28, 1) and xt.shape == (10000, 28, 28, 1)
    assert x.dtype == np.float32 and y.dtype == np.int64
    for a in (x, xt):
        assert a.min() == -1.0 and a.max() == 1.0  # 0 and 255 both occur
    # Published class counts: train 5,923 zeros and 6,742 ones; test 980 and 1,135.
    assert np.bincount(y)[:2].tolist() == [5923, 6742] and len(y) == 60000
    assert np.bincount(yt)[:2].tolist() == [980, 1135]
    assert y[0] == 5 and yt[0] == 7  # the first digits of each file
    # Pixels map 0..255 -> [-1, 1] linearly: every value is k / 127.5 - 1.
    k = (x[:100] + 1.0) * 127.5
    np.testing.assert_allclose(k, np.round(k), atol=1e-3)
    with pytest.raises(ValueError):
        x[0, 0, 0, 0] = 0.0  # shared arrays are read-only


def test_fashion_mnist_from_the_shared_dir(shared_data):
    x, y = data.load_arrays("fashion_mnist", "train", shared_data)
    xt, yt = data.load_arrays("fashion_mnist", "test", shared_data)
    assert x.shape == (60000, 28, 28, 1) and xt.shape == (10000, 28, 28, 1)
    assert np.all(np.bincount(y) == 6000) and np.all(np.bincount(yt) == 1000)
    assert xt.min() == -1.0 and xt.max() == 1.0
    mx, _ = data.load_arrays("mnist", "test", shared_data)
    assert not np.array_equal(xt[:10], mx[:10])  # not the MNIST files


def test_fashion_mnist_falls_back_to_the_debian_folder(shared_data, tmp_path, monkeypatch):
    _link_idx_files(os.path.join(shared_data, "fashion-mnist"), tmp_path / "debian")
    monkeypatch.setattr(mnist_src, "DEBIAN_FASHION", str(tmp_path / "debian"))
    monkeypatch.delenv("TFGEN_DATA_DIR", raising=False)
    data.clear_cache()
    try:
        x, y = data.load_arrays("fashion_mnist", "test")
        assert x.shape == (10000, 28, 28, 1) and np.all(np.bincount(y) == 1000)
        with pytest.raises(DataError, match="no data directory"):
            data.load_arrays("mnist", "test")  # MNIST has no system copy
    finally:
        data.clear_cache()


@pytest.mark.skipif(not os.path.isdir(DEBIAN_FASHION),
                    reason="Debian's dataset-fashion-mnist package is not installed")
def test_fashion_mnist_debian_install_matches_the_shared_copy(shared_data):
    xd, yd = data.load_arrays("fashion_mnist", "test", DEBIAN_FASHION)
    xs, ys = data.load_arrays("fashion_mnist", "test", shared_data)
    np.testing.assert_array_equal(xd, xs)
    np.testing.assert_array_equal(yd, ys)


def test_data_dir_from_environment_and_files_directly_in_it(shared_data, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("TFGEN_DATA_DIR", shared_data)
    assert data.dataset_info("mnist") == data.DatasetInfo("mnist", (28, 28, 1), 10, 60000)
    _link_idx_files(os.path.join(shared_data, "mnist"), tmp_path)
    x, _ = data.load_arrays("mnist", "test", str(tmp_path))
    np.testing.assert_array_equal(x, data.load_arrays("mnist", "test", shared_data)[0])


def test_mnist5k_is_the_first_500_training_digits_of_each_class(shared_data):
    x, y = data.load_arrays("mnist5k")
    assert x.shape == (5000, 28, 28, 1) and x.min() == -1.0 and x.max() == 1.0
    assert np.all(np.bincount(y) == 500)
    full_x, full_y = data.load_arrays("mnist", "train", shared_data)
    first_zeros = np.flatnonzero(full_y == 0)[:500]
    np.testing.assert_array_equal(x[y == 0], full_x[first_zeros])
    with pytest.raises(DataError, match="no test split"):
        data.load_arrays("mnist5k", "test")


def test_digits_shape_and_scale():
    x, y = data.load_arrays("digits")
    assert x.shape == (1797, 8, 8, 1) and x.min() == -1.0 and x.max() == 1.0
    levels = (x + 1.0) * 8.0  # sklearn's grey levels 0..16
    np.testing.assert_array_equal(levels, np.round(levels))
    assert set(np.unique(y)) == set(range(10))
    assert data.dataset_info("digits") == data.DatasetInfo("digits", (8, 8, 1), 10, 1797)


def test_stacked_mnist_channels_are_the_labelled_digits():
    x, y = data.load_arrays("stacked_mnist5k")
    assert x.shape == (25000, 28, 28, 3) and y.min() >= 0 and y.max() < 1000
    assert len(np.unique(y)) > 990  # 25,000 draws over 1,000 modes miss ~0
    base_x, base_y = data.load_arrays("mnist5k")
    digit_of = {im.tobytes(): d for im, d in zip(base_x[..., 0], base_y)}
    for i in range(0, 25000, 250):
        d = [digit_of[x[i, ..., c].tobytes()] for c in range(3)]
        assert y[i] == 100 * d[0] + 10 * d[1] + d[2]
    again, _ = data.stacked_mnist(base_x, base_y, 25000, seed=0)
    np.testing.assert_array_equal(again, x)  # a fixed draw
    with pytest.raises(DataError, match="no test split"):
        data.load_arrays("stacked_mnist5k", "test")


# --- images from files ------------------------------------------------------------

def test_cifar10_subset_from_the_jpeg_tar_is_balanced_and_cached(shared_data, monkeypatch):
    x, y = data.load_arrays("cifar10", "test", shared_data, limit=20)
    assert x.shape == (20, 32, 32, 3) and x.dtype == np.float32
    assert x.min() >= -1.0 and x.max() <= 1.0 and x.std() > 0.2
    assert np.bincount(y, minlength=10).tolist() == [2] * 10  # every class present
    # The second load reads the .npz cache, not the archive.
    data.clear_cache()
    monkeypatch.setattr(folders, "read_class_tar", lambda *a: pytest.fail("decoded again"))
    x2, y2 = data.load_arrays("cifar10", "test", shared_data, limit=20)
    np.testing.assert_array_equal(x2, x)
    np.testing.assert_array_equal(y2, y)


def test_cifar10_from_class_folders(tmp_path):
    for k, cls in enumerate(("cat", "airplane")):
        for i in range(2):
            _write_png(tmp_path / "cifar10" / "train" / cls / f"{i}.png",
                       np.full((32, 32, 3), 10 * k + i))
    x, y = data.load_arrays("cifar10", "train", str(tmp_path))
    assert x.shape == (4, 32, 32, 3) and y.tolist() == [0, 0, 1, 1]  # airplane < cat
    np.testing.assert_allclose(x[0, 0, 0], [10 / 127.5 - 1] * 3, atol=1e-6)  # airplane/0.png


def test_folder_round_trip_labels_and_balanced_limit(tmp_path):
    for k, cls in enumerate(("b", "a")):
        for i in range(3):
            _write_png(tmp_path / "imgs" / cls / f"{i}.png", np.full((6, 5), 40 * i + k))
    (tmp_path / "imgs" / "a" / ".DS_Store").write_bytes(b"junk")  # hidden: skipped
    x, y = data.load_arrays(f"folder:{tmp_path / 'imgs'}")
    assert x.shape == (6, 6, 5, 1) and y.tolist() == [0, 0, 0, 1, 1, 1]
    np.testing.assert_allclose(x[1, 0, 0, 0], 41 / 127.5 - 1, atol=1e-6)  # a/1.png
    _, y2 = data.load_arrays(f"folder:{tmp_path / 'imgs'}", limit=2)
    assert y2.tolist() == [0, 1]
    _write_png(tmp_path / "flat" / "p.png", np.zeros((4, 4, 3)))
    xf, yf = data.load_arrays(f"folder:{tmp_path / 'flat'}")
    assert xf.shape == (1, 4, 4, 3) and yf is None
    assert data.dataset_info(f"folder:{tmp_path / 'flat'}").num_classes == 0


def test_npz_round_trip(tmp_path):
    raw = np.arange(4 * 5 * 5, dtype=np.uint8).reshape(4, 5, 5)
    np.savez(tmp_path / "u8.npz", images=raw, labels=np.arange(4))
    x, y = data.load_arrays(f"npz:{tmp_path / 'u8.npz'}")
    assert x.shape == (4, 5, 5, 1) and y.tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(x[..., 0], raw / 127.5 - 1, atol=1e-6)
    f = np.linspace(-1, 1, 2 * 3 * 3 * 3).reshape(2, 3, 3, 3)
    np.savez(tmp_path / "f.npz", images=f)
    xf, yf = data.load_arrays(f"npz:{tmp_path / 'f.npz'}")
    np.testing.assert_allclose(xf, f, atol=1e-7)
    assert yf is None
    np.savez(tmp_path / "bad.npz", images=f * 2)
    with pytest.raises(DataError, match=r"must lie in \[-1, 1\]"):
        data.load_arrays(f"npz:{tmp_path / 'bad.npz'}")
    np.savez(tmp_path / "lab.npz", images=raw, labels=np.arange(3))
    with pytest.raises(DataError, match="expected 4 integers"):
        data.load_arrays(f"npz:{tmp_path / 'lab.npz'}")
    np.savez(tmp_path / "nokey.npz", x=raw)
    with pytest.raises(DataError, match="no 'images' array"):
        data.load_arrays(f"npz:{tmp_path / 'nokey.npz'}")


def test_tfds_reads_prepared_sets_and_never_downloads(tmp_path, monkeypatch):
    tfds = pytest.importorskip("tensorflow_datasets")
    monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match="needs network access.*TFDS_DATA_DIR"):
        data.load_arrays("tfds:cifar10")
    with tfds.testing.mock_data(num_examples=5, policy=tfds.testing.MockPolicy.USE_CODE):
        x, y = data.load_arrays("tfds:mnist", "test")
    assert x.shape == (5, 28, 28, 1) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() >= -1.0 and x.max() <= 1.0


# --- pipeline --------------------------------------------------------------------

def _indexed_npz(tmp_path, n=12):
    # Example i is the constant image i / 100 with label i: order is readable from batches.
    images = np.repeat(np.arange(n, dtype=np.float64)[:, None, None] / 100, 4, 1).repeat(4, 2)
    path = tmp_path / "idx.npz"
    np.savez(path, images=images, labels=np.arange(n))
    return f"npz:{path}"


def test_pipeline_epochs_are_permutations_reshuffled_with_aligned_labels(tmp_path):
    name = _indexed_npz(tmp_path)
    it = iter(data.make_dataset(name, 4, seed=3, with_labels=True))
    batches = [next(it) for _ in range(6)]  # two epochs of 12
    assert all(b[0].shape == (4, 4, 4, 1) and b[1].shape == (4,) for b in batches)
    order = np.concatenate([b[1].numpy() for b in batches])
    ids = np.concatenate([np.round(b[0].numpy()[:, 0, 0, 0] * 100) for b in batches])
    np.testing.assert_array_equal(ids, order)  # labels travel with their images
    assert sorted(order[:12]) == list(range(12)) and sorted(order[12:]) == list(range(12))
    assert order[:12].tolist() != order[12:].tolist()  # reshuffled each epoch
    assert order[:12].tolist() != list(range(12))


def test_pipeline_is_seeded():
    first = lambda s: next(iter(data.make_dataset("ring8", 512, seed=s))).numpy()  # noqa: E731
    np.testing.assert_array_equal(first(3), first(3))
    assert not np.array_equal(first(3), first(4))


def test_pipeline_drop_remainder_and_order_without_shuffle():
    x, _ = data.load_arrays("digits")
    kept = list(data.make_dataset("digits", 100, shuffle=False, repeat=False))
    assert len(kept) == 17 and all(b.shape[0] == 100 for b in kept)
    every = list(data.make_dataset("digits", 100, shuffle=False, repeat=False,
                                   drop_remainder=False))
    assert len(every) == 18 and every[-1].shape[0] == 97
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in every]), x)
    it = iter(data.make_dataset("digits", 1000))  # repeats past one epoch of 1,797
    assert [next(it).shape[0] for _ in range(4)] == [1000] * 4


def test_pipeline_resizes_and_splits_the_global_batch(two_replicas):
    x = next(iter(data.make_dataset("mnist5k", 8, image_size=32)))
    assert x.shape == (8, 32, 32, 1) and x.numpy().min() >= -1 and x.numpy().max() <= 1
    dist = two_replicas.experimental_distribute_dataset(data.make_dataset("digits", 8))
    per_replica = two_replicas.experimental_local_results(next(iter(dist)))
    assert [p.shape[0] for p in per_replica] == [4, 4]


def test_pipeline_bad_arguments(tmp_path):
    with pytest.raises(DataError, match="exceeds the 1797 examples"):
        data.make_dataset("digits", 2000)
    with pytest.raises(DataError, match="image_size applies to images"):
        data.make_dataset("ring8", 8, image_size=32)
    _write_png(tmp_path / "flat" / "p.png", np.zeros((4, 4)))
    with pytest.raises(DataError, match="has no labels"):
        data.make_dataset(f"folder:{tmp_path / 'flat'}", 1, with_labels=True)


# --- 2-D mixtures ----------------------------------------------------------------

def test_toy_mixtures_match_the_pacgan_specification():
    ring, grid = data.mixture_spec("ring8"), data.mixture_spec("grid25")
    assert ring.std == 0.01 and grid.std == 0.05
    np.testing.assert_allclose(ring.centers[2], [0.0, 1.0], atol=1e-12)  # angle pi/2
    np.testing.assert_allclose(np.linalg.norm(ring.centers, axis=1), 1.0)
    assert {tuple(c) for c in grid.centers} == {(a, b) for a in range(-4, 5, 2)
                                                for b in range(-4, 5, 2)}
    for spec in (ring, grid):
        x, k = data.load_arrays(spec.name)
        n_k = len(spec.centers)
        assert x.shape == (100_000, 2) and x.dtype == np.float32
        assert data.dataset_info(spec.name) == data.DatasetInfo(spec.name, (2,), n_k, 100_000)
        counts = np.bincount(k, minlength=n_k)
        p = 1 / n_k  # equal weights, within 4 binomial standard deviations
        assert np.all(np.abs(counts - 1e5 * p) < 4 * np.sqrt(1e5 * p * (1 - p)))
        for j in range(n_k):
            pts = x[k == j].astype(np.float64)
            n = len(pts)
            np.testing.assert_allclose(pts.mean(0), spec.centers[j], atol=4 * spec.std / np.sqrt(n))
            np.testing.assert_allclose(pts.std(0), spec.std, rtol=4 / np.sqrt(2 * n))
        # 'High quality' = within 3 std: for a 2-D isotropic Gaussian that is
        # P(chi2_2 < 9) = 1 - exp(-4.5) = 0.98889 of the real samples.
        within = np.linalg.norm(x - spec.centers[k], axis=1) < 3 * spec.std
        assert abs(within.mean() - (1 - np.exp(-4.5))) < 0.002
        xt, _ = data.load_arrays(spec.name, "test")
        assert not np.array_equal(x[:100], xt[:100])


# --- error paths -------------------------------------------------------------------

def test_missing_files_name_the_file_and_the_fix(tmp_path, monkeypatch):
    with pytest.raises(DataError, match=r"none/mnist/train-images-idx3-ubyte\.gz not found"
                       r".*TFGEN_DATA_DIR.*mnist5k"):
        data.load_arrays("mnist", "train", str(tmp_path / "none"))
    monkeypatch.delenv("TFGEN_DATA_DIR", raising=False)
    with pytest.raises(DataError, match="no data directory.*cifar10-jpeg"):
        data.load_arrays("cifar10", "test")
    with pytest.raises(DataError, match="neither .* nor a tar.gz"):
        data.load_arrays("cifar10", "test", str(tmp_path))
    os.makedirs(tmp_path / "half")
    (tmp_path / "half" / "t10k-images-idx3-ubyte.gz").write_bytes(b"plain text, not gzip")
    with pytest.raises(DataError, match="half/t10k-images-idx3-ubyte.gz is corrupt"):
        data.load_arrays("mnist", "test", str(tmp_path / "half"))  # not gzip at all


def test_truncated_wrong_magic_and_wrong_size_files(shared_data, tmp_path):
    src = os.path.join(shared_data, "mnist")
    for f in mnist_src.IDX_FILES["test"]:
        shutil.copy(os.path.join(src, f), tmp_path / f)
    img, lab = (str(tmp_path / f) for f in mnist_src.IDX_FILES["test"])
    raw = open(img, "rb").read()
    open(img, "wb").write(raw[: len(raw) // 2])
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz is corrupt or truncated"):
        data.load_arrays("mnist", "test", str(tmp_path))
    shutil.copy(lab, img)  # the labels file where the images should be
    with pytest.raises(DataError, match="has IDX magic number 2049, expected 2051"):
        data.load_arrays("mnist", "test", str(tmp_path))
    with gzip.open(img, "wb") as f:  # header says 3 images, data holds 2
        f.write(struct.pack(">IIII", 2051, 3, 28, 28) + bytes(2 * 28 * 28))
    with pytest.raises(DataError, match="promises 2352"):
        data.load_arrays("mnist", "test", str(tmp_path))
    with gzip.open(img, "wb") as f:  # a valid file of 2 images next to 10,000 labels
        f.write(struct.pack(">IIII", 2051, 2, 28, 28) + bytes(2 * 28 * 28))
    with pytest.raises(DataError, match="do not match"):
        data.load_arrays("mnist", "test", str(tmp_path))
    os.remove(lab)
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz not found"):
        data.load_arrays("mnist", "test", str(tmp_path))


def test_unknown_names_splits_and_odd_files(tmp_path):
    with pytest.raises(DataError, match="unknown dataset 'mnistt'; valid: mnist, "
                       "fashion_mnist, .*folder:PATH, npz:PATH, tfds:NAME"):
        data.load_arrays("mnistt")
    with pytest.raises(DataError, match="no split 'validation'; valid: train, test"):
        data.load_arrays("ring8", "validation")
    with pytest.raises(DataError, match="not a 2-D mixture"):
        data.mixture_spec("mnist")
    _write_png(tmp_path / "f" / "a.png", np.zeros((4, 4)))
    _write_png(tmp_path / "f" / "b.png", np.zeros((5, 4)))
    with pytest.raises(DataError,
                       match=r"f/b\.png has shape \(5, 4, 1\) but .*a\.png has \(4, 4, 1\)"):
        data.load_arrays(f"folder:{tmp_path / 'f'}")
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "notes.txt").write_text("not an image")
    with pytest.raises(DataError, match=r"cannot decode .*notes\.txt"):
        data.load_arrays(f"folder:{tmp_path / 'g'}")
    with pytest.raises(DataError, match="does not exist"):
        data.load_arrays(f"folder:{tmp_path / 'nothing'}")


def test_check_shape_message():
    data.check_shape((28, 28, 1), [28, 28, 1], "mnist")  # equal shapes pass
    with pytest.raises(DataError, match=r"^mnist has shape \(28, 28, 1\) but the network "
                       r"expects \(32, 32, 1\); set --config.data.image_size"):
        data.check_shape((28, 28, 1), (32, 32, 1), "mnist")
