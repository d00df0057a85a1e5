"""A user's .npz files for the ``paired`` and ``tokens`` kinds.

* paired: ``np.savez(path, a=..., b=...)``: two image arrays with one row
  per pair (a[i] belongs with b[i]), each [N, H, W] or [N, H, W, C] with
  C = 1 or 3, uint8 0..255 or float in [-1, 1]; a and b need the same
  height and width (their channels may differ, e.g. grey edges → RGB).
* paired folders (``pairs:DIR``): ``DIR/A/<name>.png`` and
  ``DIR/B/<name>.png``; a and b images are paired by file name without its
  extension (``A/0001.png`` with ``B/0001.jpg``), in sorted name order.
  Every image of A needs a partner in B and back; A's images share one
  shape, B's one shape, and both the same height and width.
* tokens: ``np.savez(path, tokens=..., vocab_size=...)``: integer token
  ids [N, T] (0..vocab_size-1); ``vocab_size`` (a whole number) is
  optional and defaults to the largest id + 1.

As in ``files.py``, every failure is a one-line ``DataError``: what is
wrong, then how to fix it.
"""

from __future__ import annotations

import os
import zipfile
import zlib

import numpy as np

from tfgen.data.errors import DataError
from tfgen.data import files
from tfgen.data.files import _check_image_array

_PAIRED_SAVE = "np.savez(path, a=..., b=...)"
_TOKENS_SAVE = "np.savez(path, tokens=..., vocab_size=...)"


def _read(path: str, required: tuple, optional: tuple, save: str) -> dict:
    """The named arrays of an .npz file, or a DataError saying what to do."""
    if not path:
        raise DataError(f"npz: needs a path; write npz:/path/to/data.npz ({save})")
    if not os.path.exists(path):
        raise DataError(f"npz file {path} not found; pass npz:PATH of an .npz "
                        f"written by {save}")
    if os.path.isdir(path):
        raise DataError(f"npz:{path} is a folder, not a file; pass the .npz file "
                        f"written by {save}")
    try:
        f = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise DataError(f"{path} is not a readable .npz file ({err}); save it with "
                        f"{save}") from err
    if not isinstance(f, np.lib.npyio.NpzFile):
        raise DataError(f"{path} holds a single .npy array, not an .npz of named "
                        f"arrays; save it with {save}")
    with f:
        missing = [k for k in required if k not in f.files]
        if missing:
            raise DataError(f"{path} has no {' or '.join(repr(k) for k in missing)} "
                            f"array (keys: {f.files}); save it with {save}")
        try:
            return {k: f[k] for k in required + optional if k in f.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as err:
            raise DataError(f"{path} is not a readable .npz file (a member is "
                            f"corrupt: {err}); save it again") from err


def load_paired_npz(path: str):
    """(a, b): uint8 or float [N, H, W, C] arrays whose rows are pairs."""
    arrays = _read(path, ("a", "b"), (), _PAIRED_SAVE)
    out = []
    for key in ("a", "b"):
        x = arrays[key]
        out.append(_check_image_array(path, x[..., None] if x.ndim == 3 else x, key))
    a, b = out
    if len(a) != len(b):
        raise DataError(f"{path}: {len(a)} 'a' images but {len(b)} 'b' images; "
                        "store one b for every a (row i of each is a pair)")
    if a.shape[1:3] != b.shape[1:3]:
        raise DataError(f"{path}: 'a' images are {a.shape[1]}×{a.shape[2]} but 'b' "
                        f"images {b.shape[1]}×{b.shape[2]}; resize one set to the "
                        "other's height and width")
    return a, b


def _folder_images(folder: str) -> dict:
    """{file name without extension: uint8 [H, W, C]} of a flat image folder."""
    subdirs, names = files._listing(folder)
    if subdirs:
        raise DataError(f"{folder} holds a sub-folder ({subdirs[0]}); keep the "
                        "images of a pairs: folder directly in A/ and B/")
    files._check_images(folder, names)
    if not names:
        raise DataError(f"{folder} holds no images; put .png files with matching "
                        "names in A/ and B/")
    out, first = {}, None
    for n in names:
        stem = os.path.splitext(n)[0]
        if stem in out:
            raise DataError(f"{folder} has two images named {stem} (different "
                            "extensions); keep one")
        path = os.path.join(folder, n)
        im = files.read_image(path)
        if first is None:
            first = (path, im.shape)
        elif im.shape != first[1]:
            files._mismatch(path, im.shape, *first)
        out[stem] = im
    return out


def load_pairs_folder(path: str):
    """(a, b): uint8 [N, H, W, C] images of ``path``/A and ``path``/B, paired
    by file name (sorted); every failure is a one-line DataError."""
    if not path:
        raise DataError("pairs: needs a path; write pairs:DIR with DIR/A/*.png and "
                        "DIR/B/*.png of matching names")
    if not os.path.isdir(path):
        raise DataError(f"pairs:{path} is not a folder; pass pairs:DIR with "
                        "DIR/A/*.png and DIR/B/*.png of matching names")
    for side in ("A", "B"):
        if not os.path.isdir(os.path.join(path, side)):
            raise DataError(f"pairs:{path} has no folder {side}/; put the input "
                            "images in A/ and their partners, same names, in B/")
    a, b = (_folder_images(os.path.join(path, side)) for side in ("A", "B"))
    for mine, other, side, other_side in ((a, b, "A", "B"), (b, a, "B", "A")):
        lonely = sorted(set(mine) - set(other))
        if lonely:
            raise DataError(f"pairs:{path}: {side}/{lonely[0]} has no partner named "
                            f"{lonely[0]} in {other_side}/ ({len(lonely)} unpaired in "
                            f"{side}/); add the partners or remove them")
    names = sorted(a)
    xa, xb = np.stack([a[n] for n in names]), np.stack([b[n] for n in names])
    if xa.shape[1:3] != xb.shape[1:3]:
        raise DataError(f"pairs:{path}: A/ images are {xa.shape[1]}×{xa.shape[2]} but "
                        f"B/ images {xb.shape[1]}×{xb.shape[2]}; resize one side to "
                        "the other's height and width")
    return xa, xb


def load_tokens_npz(path: str):
    """(tokens int32 [N, T], vocabulary size) of a tokens .npz file."""
    arrays = _read(path, ("tokens",), ("vocab_size",), _TOKENS_SAVE)
    t = arrays["tokens"]
    if t.ndim != 2:
        hint = " (one sequence per row)" if t.ndim == 1 else ""
        raise DataError(f"{path}: 'tokens' has shape {t.shape}; store [N, T] token "
                        f"ids, N sequences of T tokens{hint}")
    if not t.size:
        raise DataError(f"{path}: 'tokens' holds no tokens (shape {t.shape}); store "
                        "at least one sequence of at least one token")
    if not np.issubdtype(t.dtype, np.integer):
        raise DataError(f"{path}: 'tokens' has dtype {t.dtype}; store integer token "
                        "ids (tokens.astype(np.int32))")
    lo, hi = int(t.min()), int(t.max())
    if lo < 0:
        raise DataError(f"{path}: 'tokens' include {lo}; token ids must be 0 or "
                        "more (map padding or unknown tokens to an id of their own)")
    vocab = hi + 1
    if "vocab_size" in arrays:
        v = arrays["vocab_size"]
        if v.shape != () or not np.issubdtype(v.dtype, np.integer) or int(v) <= 0:
            raise DataError(f"{path}: 'vocab_size' must be one positive whole number "
                            f"(got shape {v.shape}, dtype {v.dtype}); store "
                            "vocab_size=np.int64(V)")
        vocab = int(v)
        if hi >= vocab:
            raise DataError(f"{path}: token id {hi} is not below vocab_size {vocab}; "
                            "store ids 0..vocab_size-1 or a larger vocab_size")
    if vocab > np.iinfo(np.int32).max:
        raise DataError(f"{path}: vocabulary of {vocab} ids does not fit int32; "
                        "renumber the tokens 0..V-1")
    return t.astype(np.int32), vocab
