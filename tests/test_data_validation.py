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
