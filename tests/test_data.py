"""Named datasets: contents, pipelines and every error path."""

import gzip
import os
import shutil

import numpy as np
import pytest
from PIL import Image

from tfgen import data
from tfgen.data import DataError


def test_mnist_splits_range_and_labels(shared_data):
    x, y = data.load_arrays("mnist", "train", shared_data)
    xt, yt = data.load_arrays("mnist", "test", shared_data)
    assert x.shape == (60000, 28, 28, 1) and xt.shape == (10000, 28, 28, 1)
    assert x.dtype == np.float32 and x.min() == -1.0 and x.max() == 1.0
    # Known class counts of the MNIST training set.
    counts = np.bincount(y)
    assert counts[0] == 5923 and counts[1] == 6742 and counts.sum() == 60000


def test_fashion_mnist_from_the_data_dir(shared_data):
    x, y = data.load_arrays("fashion_mnist", "test", shared_data)
    assert x.shape == (10000, 28, 28, 1)
    assert np.all(np.bincount(y) == 1000)


def test_data_dir_from_environment(shared_data, monkeypatch):
    monkeypatch.setenv("TFGEN_DATA_DIR", shared_data)
    assert data.dataset_info("mnist").num_examples == 60000


def test_mnist5k_and_digits_need_no_files():
    x, y = data.load_arrays("mnist5k")
    assert x.shape == (5000, 28, 28, 1) and x.min() == -1.0 and x.max() == 1.0
    assert set(np.unique(y)) == set(range(10))
    d, _ = data.load_arrays("digits")
    assert d.shape == (1797, 8, 8, 1) and d.min() == -1.0 and d.max() == 1.0
    with pytest.raises(DataError, match="no split 'test'"):
        data.load_arrays("mnist5k", "test")


def test_cifar10_jpeg_tar_subset(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path))
    x, y = data.load_arrays("cifar10", "test", shared_data, limit=40)
    assert x.shape == (40, 32, 32, 3) and x.min() >= -1 and x.max() <= 1
    assert y.min() >= 0 and y.max() < 10
    assert list(tmp_path.glob("cifar10-test-40.npz"))  # decoded once, cached


def test_stacked_mnist_has_three_digit_labels():
    x, y = data.load_arrays("stacked_mnist5k")
    assert x.shape == (25000, 28, 28, 3)
    assert y.max() < 1000 and len(np.unique(y)) > 900


def test_folder_and_npz_round_trip(tmp_path):
    for cls in ("a", "b"):
        os.makedirs(tmp_path / "imgs" / cls)
        for i in range(3):
            Image.fromarray(np.full((6, 6), 40 * i, np.uint8)).save(tmp_path / "imgs" / cls / f"{i}.png")
    x, y = data.load_arrays(f"folder:{tmp_path / 'imgs'}")
    assert x.shape == (6, 6, 6, 1) and list(y) == [0, 0, 0, 1, 1, 1]
    np.testing.assert_allclose(x[1, 0, 0, 0], 40 / 127.5 - 1, atol=1e-6)
    np.savez(tmp_path / "d.npz", images=np.zeros((4, 5, 5), np.uint8), labels=np.arange(4))
    x, y = data.load_arrays(f"npz:{tmp_path / 'd.npz'}")
    assert x.shape == (4, 5, 5, 1) and x.max() == -1.0 and list(y) == [0, 1, 2, 3]


def test_pipeline_batches_repeats_and_is_seeded():
    ds = data.make_dataset("ring8", 4096, seed=3)
    it = iter(ds)
    batches = [next(it).numpy() for _ in range(30)]  # > 1 epoch of 100,000
    assert all(b.shape == (4096, 2) for b in batches)
    again = next(iter(data.make_dataset("ring8", 4096, seed=3))).numpy()
    other = next(iter(data.make_dataset("ring8", 4096, seed=4))).numpy()
    np.testing.assert_array_equal(batches[0], again)
    assert not np.array_equal(batches[0], other)
    x, y = next(iter(data.make_dataset("digits", 8, with_labels=True, image_size=16)))
    assert x.shape == (8, 16, 16, 1) and y.shape == (8,)


def test_toy_mixtures_match_their_specification():
    for name in ("ring8", "grid25"):
        spec = data.mixture_spec(name)
        x, k = data.load_arrays(name)
        for j in range(len(spec.centers)):
            pts = x[k == j]
            tol = 4 * spec.std / np.sqrt(len(pts))
            np.testing.assert_allclose(pts.mean(0), spec.centers[j], atol=tol)
            np.testing.assert_allclose(pts.std(0), spec.std, rtol=0.05)
    assert data.mixture_spec("ring8").std == 0.01 and data.mixture_spec("grid25").std == 0.05


def test_missing_files_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz.*data_dir"):
        data.load_arrays("mnist", "train", str(tmp_path / "none"))


def test_truncated_and_wrong_magic_files(shared_data, tmp_path):
    src = os.path.join(shared_data, "mnist")
    for f in os.listdir(src):
        shutil.copy(os.path.join(src, f), tmp_path / f)
    raw = open(os.path.join(src, "t10k-images-idx3-ubyte.gz"), "rb").read()
    open(tmp_path / "t10k-images-idx3-ubyte.gz", "wb").write(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.gz.*(corrupt|truncated)"):
        data.load_arrays("mnist", "test", str(tmp_path))
    # Labels file where the images file should be: wrong magic number.
    shutil.copy(tmp_path / "t10k-labels-idx1-ubyte.gz", tmp_path / "t10k-images-idx3-ubyte.gz")
    with pytest.raises(DataError, match="magic"):
        data.load_arrays("mnist", "test", str(tmp_path) + "/")


def test_unknown_name_and_mixed_shapes(tmp_path):
    with pytest.raises(DataError, match="valid: mnist, fashion_mnist"):
        data.load_arrays("mnistt")
    os.makedirs(tmp_path / "f")
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(tmp_path / "f" / "a.png")
    Image.fromarray(np.zeros((5, 5), np.uint8)).save(tmp_path / "f" / "b.png")
    with pytest.raises(DataError, match="b.png has shape"):
        data.load_arrays(f"folder:{tmp_path / 'f'}")


def test_check_shape_message():
    with pytest.raises(DataError, match=r"has shape \(28, 28, 1\) but the network expects \(32, 32, 1\)"):
        data.check_shape((28, 28, 1), (32, 32, 1), "mnist")


def test_streams_share_the_tensor_of_a_read_only_array_and_copy_a_writeable_one():
    from tfgen.data import pipeline

    frozen = np.arange(12, dtype=np.float32).reshape(6, 2)
    frozen.setflags(write=False)
    assert pipeline._tensor(frozen) is pipeline._tensor(frozen)  # one copy, not two
    first = next(iter(pipeline.stream((frozen,), 6, shuffle=False)))
    np.testing.assert_array_equal(first.numpy(), frozen)
    key = id(frozen)
    del frozen
    import gc

    gc.collect()
    assert key not in pipeline._TENSORS  # dropped with its array
    live = np.zeros((6, 2), np.float32)
    before = next(iter(pipeline.stream((live,), 6, shuffle=False))).numpy()
    live[:] = 1.0  # a writeable array is copied per stream: the write is seen
    after = next(iter(pipeline.stream((live,), 6, shuffle=False))).numpy()
    assert before.sum() == 0 and after.sum() == 12


def test_cached_arrays_are_read_only(shared_data):
    x, y = data.load_arrays("mnist", "test", shared_data)
    assert not x.flags.writeable and not y.flags.writeable
