"""The MNIST-M-like domain: |photo patch − digit|, deterministic, MNIST's labels."""

import numpy as np
import pytest

from tfgen import data
from tfgen.data import mnistm_like
from tfgen.data.errors import DataError


def test_blend_is_the_absolute_difference_per_channel():
    digit = np.array([[[0, 255], [100, 30]]], np.uint8)  # [1, 2, 2]
    patch = np.array([[[[10, 20, 30], [10, 20, 30]],
                       [[30, 200, 0], [100, 0, 255]]]], np.uint8)
    out = mnistm_like.blend(digit, patch)
    expected = np.array([[[[10, 20, 30], [245, 235, 225]],
                          [[70, 100, 100], [70, 30, 225]]]], np.uint8)
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.uint8


def test_patches_are_crops_of_the_photos_and_seeded():
    rng = np.random.default_rng(5)
    photos = rng.integers(0, 256, (7, 32, 32, 3)).astype(np.uint8)
    a = mnistm_like.patches(photos, 50, 28, seed=3)
    np.testing.assert_array_equal(a, mnistm_like.patches(photos, 50, 28, seed=3))
    assert not np.array_equal(a, mnistm_like.patches(photos, 50, 28, seed=4))
    # Every patch is some photo's 28x28 window, possibly mirrored.
    for p in a[:10]:
        found = any(np.array_equal(p, w) or np.array_equal(p[:, ::-1], w)
                    for ph in photos for i in range(5) for j in range(5)
                    for w in [ph[i:i + 28, j:j + 28]])
        assert found
    with pytest.raises(ValueError, match="smaller than"):
        mnistm_like.patches(photos[:, :20, :20], 3, 28, seed=0)


def test_named_domain_keeps_mnist_rows_and_labels(shared_data):
    x, y = data.load_arrays("mnistm_like", "test", shared_data)
    g, gy = data.load_arrays("mnist", "test", shared_data)
    r, ry = data.load_arrays("mnist_rgb", "test", shared_data)
    assert x.shape == (10000, 28, 28, 3) and r.shape == (10000, 28, 28, 3)
    np.testing.assert_array_equal(y, gy)
    np.testing.assert_array_equal(ry, gy)
    np.testing.assert_array_equal(r, np.repeat(g, 3, axis=-1))
    assert -1.0 <= x.min() and x.max() <= 1.0
    # Deterministic: rebuilt from the raw arrays, the images are the same.
    raw = data.named._raw("mnistm_like", "test", shared_data, None)[0]
    np.testing.assert_array_equal(x, raw.astype(np.float32) / 127.5 - 1.0)
    # |patch − digit|: where the stroke is white (255) the pixel is 255 − patch,
    # where the background is black (0) it is the patch, so the two differ in
    # colour; every row has its own photo, so images are not all alike.
    stroke = g[..., 0] > 0.9
    assert stroke.any() and x.std(axis=(1, 2, 3)).min() > 0.05
    assert data.stream_info("mnistm_like", "test", shared_data).num_classes == 10


def test_source_and_target_pair_as_one_semi_supervised_element(shared_data):
    ds = data.make("semi_supervised", "mnist_rgb", 8, target="mnistm_like",
                   data_dir=shared_data, split="test")
    (xs, ys), xt = next(iter(ds))
    assert xs.shape == (8, 28, 28, 3) and ys.shape == (8,) and xt.shape == (8, 28, 28, 3)
    with pytest.raises(DataError, match="same shape") as err:
        data.info_for("semi_supervised", "mnist", shared_data, target="mnistm_like",
                      split="test")
    assert "\n" not in str(err.value)


def test_photos_are_a_seeded_sample_of_every_class_of_the_split():
    # The JPEG tar lists CIFAR-10 class by class; version 1 took its first
    # 5,000 rows (all birds). photo_rows samples the whole split instead.
    assert mnistm_like.VERSION == 2
    by_class = np.repeat(np.arange(10), 5000)  # a class-ordered train split
    for split, n in (("train", 50_000), ("test", 10_000)):
        rows = mnistm_like.photo_rows(n, split)
        assert len(rows) == mnistm_like.PHOTOS_PER_SPLIT == len(np.unique(rows))
        np.testing.assert_array_equal(rows, mnistm_like.photo_rows(n, split))
        counts = np.bincount(by_class[rows * 50_000 // n], minlength=10)
        assert counts.min() > 400 and counts.max() < 600, counts
    assert not np.array_equal(mnistm_like.photo_rows(10_000, "train"),
                              mnistm_like.photo_rows(10_000, "test"))
