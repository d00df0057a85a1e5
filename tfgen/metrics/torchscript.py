"""The tensors of a TorchScript file, read with the standard library and NumPy.

A TorchScript file (``torch.jit.save``) is a zip archive under one top
folder ``<root>/``:

* ``data.pkl``: the module tree, pickled (protocol 2). Each module is an
  instance of a ``__torch__.<class>`` whose state is a dict of its
  attributes: tensors, flags, int lists and submodules.
* ``data/<key>``: the raw bytes of one tensor storage (little-endian unless
  ``byteorder`` says ``big``), referenced from ``data.pkl`` by a persistent
  id ``("storage", <storage type>, key, device, numel)``; each tensor is
  rebuilt by ``torch._utils._rebuild_tensor_v2`` as a strided view of one.
* ``code/``, ``constants.pkl``: the TorchScript program, not read here.

The file is untrusted input, and unpickling calls whatever the pickle names.
``_RestrictedUnpickler`` therefore resolves only the few globals a module
tree of tensors needs, each to a function of this module that builds data
and runs no code of the file's choosing; any other global is refused with
:class:`UnsafeTorchScriptError`. Tensors come back as NumPy arrays.
"""

from __future__ import annotations

import collections
import io
import math
import os
import pickle
import re
import zipfile

import numpy as np

MAX_PICKLE_BYTES = 64 * 2**20
_STORAGE_DTYPES = {
    "DoubleStorage": "f8", "FloatStorage": "f4", "HalfStorage": "f2",
    "BFloat16Storage": "u2",  # bits; widened to float32 below
    "LongStorage": "i8", "IntStorage": "i4", "ShortStorage": "i2",
    "CharStorage": "i1", "ByteStorage": "u1", "BoolStorage": "?",
}


class TorchScriptError(ValueError):
    """The file is not a TorchScript archive this reader understands."""


class UnsafeTorchScriptError(TorchScriptError):
    """The pickle asks for a global outside the allowed few."""


class ScriptObject:
    """One TorchScript module (or class instance): its type and attributes.

    ``type_name`` is the pickled class (``__torch__.inceptionv3.Conv2dLayer``);
    ``attributes`` the dict it was pickled with, in the file's order.
    """

    type_name = "?"

    def __new__(cls, *args):  # NEWOBJ and REDUCE on the class: no arguments
        if args:
            raise UnsafeTorchScriptError(f"{cls.type_name} built with arguments {args!r}")
        obj = super().__new__(cls)
        obj.attributes = {}
        return obj

    def __setstate__(self, state):
        if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
            raise UnsafeTorchScriptError(
                f"state of {self.type_name} is not a dict of attribute names")
        self.attributes = dict(state)

    def __repr__(self):
        return f"<ScriptObject {self.type_name}: {', '.join(self.attributes)}>"


class _StorageType:
    """Stands for ``torch.<X>Storage``: a dtype, not callable."""

    def __init__(self, name: str, dtype: str):
        self.name, self.dtype = name, dtype


class _Storage:
    """The elements of one ``data/<key>`` entry as a flat array."""

    def __init__(self, array: np.ndarray, bfloat16: bool):
        self.array, self.bfloat16 = array, bfloat16


def _check_int(value, what, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UnsafeTorchScriptError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return value


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
                       backward_hooks, metadata=None):
    """``torch._utils._rebuild_tensor_v2``: a strided view of a storage, copied.

    Every index is checked against the storage's length before the view is
    made, so a hostile size, stride or offset cannot read outside it.
    """
    del requires_grad, metadata
    if not isinstance(storage, _Storage):
        raise UnsafeTorchScriptError(f"tensor storage is {type(storage).__name__}, "
                                     "not a storage reference")
    if backward_hooks:  # an (empty) OrderedDict in any saved tensor
        raise UnsafeTorchScriptError("tensor with backward hooks refused")
    if not isinstance(size, tuple) or not isinstance(stride, tuple) \
            or len(size) != len(stride):
        raise UnsafeTorchScriptError(f"tensor size {size!r} and stride {stride!r} "
                                     "must be tuples of one length")
    offset = _check_int(storage_offset, "storage offset")
    size = tuple(_check_int(s, "tensor size") for s in size)
    stride = tuple(_check_int(s, "tensor stride") for s in stride)
    flat = storage.array
    if math.prod(size) == 0:
        out = np.zeros(size, flat.dtype)
    else:
        last = offset + sum((n - 1) * s for n, s in zip(size, stride))
        if last >= len(flat):
            raise UnsafeTorchScriptError(
                f"tensor of size {size}, stride {stride}, offset {offset} reaches element "
                f"{last} of a storage of {len(flat)}")
        item = flat.dtype.itemsize
        out = np.lib.stride_tricks.as_strided(
            flat[offset:], shape=size, strides=[s * item for s in stride]).copy()
    if storage.bfloat16:
        out = (out.astype(np.uint32) << 16).view(np.float32)
    return out.astype(out.dtype.newbyteorder("="), copy=False)


def _list_of(kind, name):
    def build(values):
        if not isinstance(values, list) or not all(
                isinstance(v, kind) and (kind is bool or not isinstance(v, bool))
                for v in values):
            raise UnsafeTorchScriptError(f"{name} needs a list of {kind.__name__}, "
                                         f"got {values!r}")
        return list(values)
    return build


_GLOBALS = {
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch.jit._pickle", "build_intlist"): _list_of(int, "build_intlist"),
    ("torch.jit._pickle", "build_doublelist"): _list_of(float, "build_doublelist"),
    ("torch.jit._pickle", "build_boollist"): _list_of(bool, "build_boollist"),
}
_TORCH_CLASS = re.compile(r"__torch__(\.[A-Za-z_][A-Za-z0-9_]*)+")


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickles ``data.pkl``: tensors, module records and plain data only."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile, root: str,
                 big_endian: bool, source: str):
        super().__init__(io.BytesIO(data))
        self._archive, self._root, self._source = archive, root, source
        self._order = ">" if big_endian else "<"
        self._storages: dict[str, _Storage] = {}
        self._classes: dict[str, type] = {}

    def find_class(self, module, name):
        if (module, name) in _GLOBALS:
            return _GLOBALS[(module, name)]
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name, _STORAGE_DTYPES[name])
        if _TORCH_CLASS.fullmatch(f"{module}.{name}"):
            # A TorchScript class: only ever a record of its attributes.
            qualname = f"{module}.{name}"
            if qualname not in self._classes:
                self._classes[qualname] = type(name, (ScriptObject,), {
                    "type_name": qualname, "__module__": __name__})
            return self._classes[qualname]
        raise UnsafeTorchScriptError(
            f"{self._source}: refusing to load the global {module}.{name}; a TorchScript "
            "file of tensors needs only torch._utils._rebuild_tensor_v2, torch.<X>Storage, "
            "collections.OrderedDict, torch.jit._pickle list builders and __torch__ classes")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
                and isinstance(pid[1], _StorageType) and isinstance(pid[2], str)
                and isinstance(pid[3], str)):
            raise UnsafeTorchScriptError(f"{self._source}: unexpected persistent id {pid!r}")
        _, kind, key, _, numel = pid
        if not re.fullmatch(r"[0-9]+", key):
            raise UnsafeTorchScriptError(f"{self._source}: bad storage key {key!r}")
        numel = _check_int(numel, "storage length")
        if key not in self._storages:
            dtype = np.dtype(self._order + kind.dtype)
            entry = f"{self._root}/data/{key}"
            try:
                info = self._archive.getinfo(entry)
            except KeyError:
                raise TorchScriptError(f"{self._source}: storage {entry} is missing") from None
            if info.file_size != numel * dtype.itemsize:
                raise TorchScriptError(
                    f"{self._source}: storage {entry} holds {info.file_size} bytes, not "
                    f"{numel} × {dtype.itemsize}")
            array = np.frombuffer(self._archive.read(info), dtype)
            self._storages[key] = _Storage(array, kind.name == "BFloat16Storage")
        storage = self._storages[key]
        if len(storage.array) != numel:
            raise TorchScriptError(f"{self._source}: storage {key} used with two lengths")
        return storage


def load(source, name: str | None = None):
    """Unpickles a TorchScript file's module tree, allowing tensors only.

    Args:
      source: path of the ``.pt`` file, its bytes, or a seekable binary file.
      name: how messages call the file (default: the path, or ``<memory>``).

    Returns:
      The root :class:`ScriptObject`; tensors in its attributes (and in its
      submodules') are NumPy arrays.

    Raises:
      UnsafeTorchScriptError: the pickle names a global outside the allowed
        few (the file may be malicious) or rebuilds a tensor out of bounds.
      TorchScriptError: not a TorchScript zip, or damaged.
    """
    if name is None:
        name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<memory>"
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as e:
        raise TorchScriptError(f"{name} is not a TorchScript file (not a zip archive: "
                               f"{e})") from e
    with archive:
        pickles = [n for n in archive.namelist() if re.fullmatch(r"[^/]+/data\.pkl", n)]
        if len(pickles) != 1:
            raise TorchScriptError(f"{name} is not a TorchScript file: expected one "
                                   f"<root>/data.pkl, found {len(pickles)}")
        root = pickles[0].split("/")[0]
        info = archive.getinfo(pickles[0])
        if info.file_size > MAX_PICKLE_BYTES:
            raise TorchScriptError(f"{name}: data.pkl is {info.file_size} bytes, over "
                                   f"{MAX_PICKLE_BYTES}")
        big = False
        if f"{root}/byteorder" in archive.namelist():
            order = archive.read(f"{root}/byteorder").decode("ascii", "replace").strip()
            if order not in ("little", "big"):
                raise TorchScriptError(f"{name}: unknown byte order {order!r}")
            big = order == "big"
        unpickler = _RestrictedUnpickler(archive.read(info), archive, root, big, name)
        try:
            obj = unpickler.load()
        except TorchScriptError:
            raise
        except (pickle.UnpicklingError, EOFError, TypeError, ValueError, AttributeError,
                IndexError, KeyError, RecursionError) as e:
            raise TorchScriptError(f"{name}: cannot read data.pkl "
                                   f"({type(e).__name__}: {e})") from e
    if not isinstance(obj, ScriptObject):
        raise TorchScriptError(f"{name}: data.pkl holds a {type(obj).__name__}, not a module")
    return obj


def named_tensors(module: ScriptObject, prefix: str = "") -> dict[str, np.ndarray]:
    """Every tensor attribute of a module tree, by dotted name.

    The order and names are those of ``torch.jit.load(path).named_parameters()``
    when the modules hold parameters only (``data.pkl`` does not mark which
    tensors are buffers: the class definitions in ``code/`` do). A module or
    tensor reached twice is listed once, under its first name.
    """
    out: dict[str, np.ndarray] = {}
    seen: set[int] = set()

    def walk(obj, path):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        subs = []
        for key, value in obj.attributes.items():
            if isinstance(value, np.ndarray) and id(value) not in seen:
                seen.add(id(value))
                out[path + key] = value
            elif isinstance(value, ScriptObject):
                subs.append((key, value))
        for key, value in subs:  # torch lists a module's own tensors first
            walk(value, f"{path}{key}.")

    walk(module, f"{prefix}." if prefix else "")
    return out


def read_tensors(source, name: str | None = None) -> dict[str, np.ndarray]:
    """``named_tensors(load(source, name))``: a TorchScript file's tensors by name."""
    return named_tensors(load(source, name))
