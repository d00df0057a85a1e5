"""Bad user data fails early with a one-line DataError that says the fix.

Each test builds small synthetic files under tmp_path and calls the loaders
directly, so no training (and no real dataset) is needed.
"""

import gzip
import io
import os
import struct
import tarfile

import numpy as np
import pytest
from PIL import Image

from tfgen import data
from tfgen.data import DataError, idx, sources


def _one_line(excinfo) -> str:
    msg = str(excinfo.value)
    assert "\n" not in msg, msg
    assert ";" in msg, f"no fix given: {msg}"
    return msg


def _png(path, shape=(4, 4), value=0):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(np.full(shape, value, np.uint8)).save(path)


# --- npz: ------------------------------------------------------------------


@pytest.mark.parametrize("shape,hint", [
    ((4, 784), r"\[N, H, W\]"),
    ((2, 4, 5, 5, 1), r"rank 5"),
])
def test_npz_rank_other_than_3_or_4(tmp_path, shape, hint):
    np.savez(tmp_path / "d.npz", images=np.zeros(shape, np.uint8))
    with pytest.raises(DataError, match=hint) as e:
        data.load_arrays(f"npz:{tmp_path / 'd.npz'}")
    assert str(shape) in _one_line(e)


def test_npz_channels_other_than_1_or_3(tmp_path):
    np.savez(tmp_path / "rgba.npz", images=np.zeros((2, 5, 5, 4), np.uint8))
    with pytest.raises(DataError, match=r"4 channels.*1 \(grey\) or 3 \(RGB\)") as e:
        sources.load_npz(str(tmp_path / "rgba.npz"))
    _one_line(e)
    # Channels first is the usual cause of odd channel counts: say so.
    np.savez(tmp_path / "nchw.npz", images=np.zeros((2, 3, 8, 8), np.uint8))
    with pytest.raises(DataError, match=r"NCHW.*transpose\(0, 2, 3, 1\)"):
        sources.load_npz(str(tmp_path / "nchw.npz"))


def test_npz_non_finite_float_images(tmp_path):
    x = np.zeros((5, 4, 4, 1), np.float32)
    x[1, 0, 0, 0] = np.nan
    x[3, 2, 2, 0] = np.inf
    x[3, 1, 1, 0] = -np.inf
    np.savez(tmp_path / "d.npz", images=x)
    with pytest.raises(DataError, match=r"NaN or Inf.*2 of 5 images.*3 values") as e:
        sources.load_npz(str(tmp_path / "d.npz"))
    _one_line(e)


def test_npz_labels_must_match_the_images(tmp_path):
    np.savez(tmp_path / "d.npz", images=np.zeros((4, 5, 5), np.uint8), labels=np.arange(3))
    with pytest.raises(DataError, match="4 images but 3 labels") as e:
        sources.load_npz(str(tmp_path / "d.npz"))
    _one_line(e)
    np.savez(tmp_path / "h.npz", images=np.zeros((4, 5, 5), np.uint8),
             labels=np.eye(4, dtype=np.int64))
    with pytest.raises(DataError, match=r"one-hot.*argmax"):
        sources.load_npz(str(tmp_path / "h.npz"))
    np.savez(tmp_path / "f.npz", images=np.zeros((2, 5, 5), np.uint8), labels=[0.5, 1.0])
    with pytest.raises(DataError, match="whole numbers"):
        sources.load_npz(str(tmp_path / "f.npz"))


def test_npz_unreadable_files(tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((2, 4, 4), np.uint8))
    with pytest.raises(DataError, match=r"single \.npy array.*np\.savez") as e:
        sources.load_npz(str(tmp_path / "a.npy"))
    _one_line(e)
    np.savez(tmp_path / "d.npz", images=np.zeros((64, 8, 8), np.uint8))
    raw = (tmp_path / "d.npz").read_bytes()
    (tmp_path / "d.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="not a readable .npz"):
        sources.load_npz(str(tmp_path / "d.npz"))
    np.savez(tmp_path / "e.npz", images=np.zeros((0, 8, 8), np.uint8))
    with pytest.raises(DataError, match="no images"):
        sources.load_npz(str(tmp_path / "e.npz"))
    np.savez(tmp_path / "i.npz", images=np.full((2, 8, 8), 200, np.int64))
    with pytest.raises(DataError, match=r"int64.*astype\(np.uint8\)"):
        sources.load_npz(str(tmp_path / "i.npz"))


# --- folder: ---------------------------------------------------------------


def test_folder_skips_hidden_and_os_junk_files(tmp_path):
    root = tmp_path / "imgs"
    for cls in ("a", "b"):
        _png(root / cls / "0.png", value=10)
        (root / cls / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
        (root / cls / "._0.png").write_bytes(b"\0\5\26\7AppleDouble")
        (root / cls / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (root / ".DS_Store").write_bytes(b"\0")
    os.makedirs(root / "__MACOSX" / "a")  # left by unzipping a macOS archive
    os.makedirs(root / ".ipynb_checkpoints")
    x, y = sources.load_folder(str(root))
    assert x.shape == (2, 4, 4, 1) and list(y) == [0, 1]


def test_folder_class_folder_with_a_sub_folder(tmp_path):
    _png(tmp_path / "imgs" / "a" / "0.png")
    _png(tmp_path / "imgs" / "b" / "nested" / "1.png")
    with pytest.raises(DataError, match=r"b.* holds a sub-folder \(nested\)") as e:
        sources.load_folder(str(tmp_path / "imgs"))
    _one_line(e)


def test_folder_non_image_file_is_named(tmp_path):
    _png(tmp_path / "imgs" / "a" / "0.png")
    (tmp_path / "imgs" / "a" / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match=r"notes.txt is not an image.*move it out") as e:
        sources.load_folder(str(tmp_path / "imgs"))
    _one_line(e)
    # Flat folders too.
    _png(tmp_path / "flat" / "0.png")
    (tmp_path / "flat" / "labels.csv").write_text("0")
    with pytest.raises(DataError, match="labels.csv is not an image"):
        sources.load_folder(str(tmp_path / "flat"))


def test_folder_mixed_grey_and_rgb_says_channels(tmp_path):
    _png(tmp_path / "f" / "a.png", (4, 4))
    _png(tmp_path / "f" / "b.png", (4, 4, 3))
    with pytest.raises(DataError, match=r"b.png has 3 channels \(RGB\).*a.png.* 1 \(grey\)") as e:
        sources.load_folder(str(tmp_path / "f"))
    msg = _one_line(e)
    assert "resize" not in msg and "convert all images to RGB or all to grey" in msg
    # A size mismatch alone still asks for a resize.
    _png(tmp_path / "g" / "a.png", (4, 4, 3))
    _png(tmp_path / "g" / "b.png", (5, 5, 3))
    with pytest.raises(DataError, match=r"b.png has shape \(5, 5, 3\).*resize"):
        sources.load_folder(str(tmp_path / "g"))


def test_folder_mixing_images_and_class_folders(tmp_path):
    _png(tmp_path / "imgs" / "cat" / "0.png")
    _png(tmp_path / "imgs" / "stray.png")
    with pytest.raises(DataError, match=r"stray.png.*cat") as e:
        sources.load_folder(str(tmp_path / "imgs"))
    _one_line(e)


def test_folder_path_is_a_file_or_missing(tmp_path):
    _png(tmp_path / "x.png")
    with pytest.raises(DataError, match="is a file, not a folder") as e:
        data.load_arrays(f"folder:{tmp_path / 'x.png'}")
    _one_line(e)
    with pytest.raises(DataError, match="does not exist") as e:
        sources.load_folder(str(tmp_path / "nowhere"))
    _one_line(e)


# --- IDX -------------------------------------------------------------------


def _idx(path, array, magic):
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def _mnist_dir(tmp_path, n=6):
    d = tmp_path / "mnist"
    os.makedirs(d)
    _idx(d / "t10k-images-idx3-ubyte.gz", np.zeros((n, 28, 28)), idx.IMAGES_MAGIC)
    _idx(d / "t10k-labels-idx1-ubyte.gz", np.arange(n) % 10, idx.LABELS_MAGIC)
    return d


def test_idx_missing_labels_file(tmp_path):
    d = _mnist_dir(tmp_path)
    x, y = sources.load_idx_dataset("mnist", "test", str(tmp_path))
    assert x.shape == (6, 28, 28, 1) and list(y) == [0, 1, 2, 3, 4, 5]
    os.remove(d / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte.gz not found.*download") as e:
        sources.load_idx_dataset("mnist", "test", str(tmp_path))
    _one_line(e)


@pytest.mark.parametrize("cut", [3, 12, 30, -9, -3])
def test_idx_truncated_gz(tmp_path, cut):
    d = _mnist_dir(tmp_path)
    path = d / "t10k-images-idx3-ubyte.gz"
    raw = path.read_bytes()
    path.write_bytes(raw[:cut])
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.gz") as e:
        idx.read_idx(str(path), idx.IMAGES_MAGIC)
    _one_line(e)


def test_idx_short_header_and_missing_file(tmp_path):
    # The right magic but fewer dimension sizes than it promises.
    path = tmp_path / "x-idx3-ubyte"
    path.write_bytes(struct.pack(">II", idx.IMAGES_MAGIC, 5))
    with pytest.raises(DataError, match="too short") as e:
        idx.read_idx(str(path), idx.IMAGES_MAGIC)
    _one_line(e)
    with pytest.raises(DataError, match="not found") as e:
        idx.read_idx(str(tmp_path / "none.gz"), idx.IMAGES_MAGIC)
    _one_line(e)


# --- data_dir that does not exist ------------------------------------------


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10"])
def test_data_dir_that_does_not_exist(tmp_path, name):
    with pytest.raises(DataError, match=r"data directory .*nowhere does not exist") as e:
        data.load_arrays(name, "train", str(tmp_path / "nowhere"))
    _one_line(e)


def test_data_dir_from_the_environment_that_does_not_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGEN_DATA_DIR", str(tmp_path / "gone"))
    with pytest.raises(DataError, match=r"TFGEN_DATA_DIR.*gone does not exist"):
        sources.load_idx_dataset("mnist", "test", None)


# --- CIFAR-10 tar cache ----------------------------------------------------


def _cifar_tar(root, value, classes=("cat", "dog"), per_class=2, shapes=((32, 32, 3),)):
    """A tiny CIFAR-10-style tar.gz under root/cifar10-jpeg/ of flat colour.

    Image k has shape shapes[k % len(shapes)].
    """
    os.makedirs(root / "cifar10-jpeg")
    with tarfile.open(root / "cifar10-jpeg" / "c.tar.gz", "w:gz") as tar:
        for c in classes:
            for i in range(per_class):
                buf = io.BytesIO()
                shape = shapes[(classes.index(c) * per_class + i) % len(shapes)]
                Image.fromarray(np.full(shape, value, np.uint8)).save(buf, "JPEG")
                info = tarfile.TarInfo(f"train/{c}/{i:04d}.jpg")
                info.size = len(buf.getvalue())
                buf.seek(0)
                tar.addfile(info, buf)
    return root / "cifar10-jpeg" / "c.tar.gz"


def test_cifar10_cache_is_per_tar(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path / "cache"))
    _cifar_tar(tmp_path / "a", 0)
    tar_b = _cifar_tar(tmp_path / "b", 255, classes=("cat", "dog", "ship"))
    xa, ya = sources.load_cifar10("train", str(tmp_path / "a"))
    xb, yb = sources.load_cifar10("train", str(tmp_path / "b"))
    assert xa.shape == (4, 32, 32, 3) and xa.max() < 10 and list(ya) == [3, 3, 5, 5]
    assert xb.shape == (6, 32, 32, 3) and xb.min() > 245 and list(yb) == [3, 3, 5, 5, 8, 8]
    # A cache hit gives the same arrays back for each folder.
    assert np.array_equal(sources.load_cifar10("train", str(tmp_path / "a"))[0], xa)
    # A changed tar at the same path is read anew.
    os.remove(tar_b)
    os.replace(_cifar_tar(tmp_path / "c", 128, classes=("frog",)), tar_b)
    xb2, yb2 = sources.load_cifar10("train", str(tmp_path / "b"))
    assert xb2.shape == (2, 32, 32, 3) and abs(int(xb2.mean()) - 128) < 5 and list(yb2) == [6, 6]


def test_cifar10_corrupt_cache_is_re_read(tmp_path, monkeypatch, capfd):
    cache_dir = tmp_path / "cache"
    os.makedirs(cache_dir)
    (cache_dir / "mine.npz").write_bytes(b"not the tool's")
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(cache_dir))
    _cifar_tar(tmp_path / "a", 0)
    x, _ = sources.load_cifar10("train", str(tmp_path / "a"))
    caches = list(cache_dir.glob("cifar10-train-*.npz"))
    assert len(caches) == 1
    for garbage in (b"PK\3\4 not a zip at all", b"garbage"):
        caches[0].write_bytes(garbage)
        capfd.readouterr()
        x2, y2 = sources.load_cifar10("train", str(tmp_path / "a"))
        assert np.array_equal(x, x2) and list(y2) == [3, 3, 5, 5]
        err = capfd.readouterr().err
        assert "warning" in err and str(caches[0]) in err and len(err.strip().splitlines()) == 1
    # ... and rewritten, so the next call reads it silently.
    with np.load(caches[0]) as f:
        assert np.array_equal(f["images"], x)
    sources.load_cifar10("train", str(tmp_path / "a"))
    assert capfd.readouterr().err == ""
    # Files the tool did not write are left alone, and no temporary files remain.
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted([caches[0].name, "mine.npz"])
    assert (cache_dir / "mine.npz").read_bytes() == b"not the tool's"


def test_cifar10_cache_that_cannot_be_written(tmp_path, monkeypatch, capfd):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path / "file" / "cache"))
    _cifar_tar(tmp_path / "a", 0)
    x, _ = sources.load_cifar10("train", str(tmp_path / "a"))
    assert x.shape == (4, 32, 32, 3)
    err = capfd.readouterr().err
    assert "cannot write cache" in err and len(err.strip().splitlines()) == 1


def test_cifar10_tar_with_grey_or_odd_sized_images(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path / "cache"))
    _cifar_tar(tmp_path / "a", 90, shapes=((32, 32, 3), (32, 32)))
    x, _ = sources.load_cifar10("train", str(tmp_path / "a"))
    assert x.shape == (4, 32, 32, 3) and abs(float(x.mean()) - 90) < 3
    _cifar_tar(tmp_path / "b", 90, shapes=((32, 32, 3), (30, 30, 3)))
    with pytest.raises(DataError, match=r"train/cat/0001.jpg has shape \(30, 30, 3\)") as e:
        sources.load_cifar10("train", str(tmp_path / "b"))
    _one_line(e)
