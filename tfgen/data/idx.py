"""Reader for the IDX files of MNIST and Fashion-MNIST.

Format (LeCun et al. 1998, "Gradient-based learning applied to document
recognition"; http://yann.lecun.com/exdb/mnist/): a big-endian uint32 magic
number whose third byte is the element type (0x08 = uint8) and fourth byte
the number of dimensions, the dimension sizes as big-endian uint32, then the
elements. Images have magic 2051 (0x00000803: 16 header bytes), labels 2049
(0x00000801: 8 header bytes). The standard files are gzip-compressed.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

from tfgen.data.errors import DataError

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049


def read_idx(path: str, expect_magic: int) -> np.ndarray:
    """Reads one IDX file (gzipped when its name ends in .gz) and checks it.

    Args:
      path: the file.
      expect_magic: ``IMAGES_MAGIC`` or ``LABELS_MAGIC``.

    Returns:
      A uint8 array of the header's dimensions, e.g. [60000, 28, 28].

    Raises:
      DataError: the file is missing, truncated, not gzip, has another magic
        number, or holds a different number of bytes than its header says.
    """
    if not os.path.isfile(path):
        raise DataError(f"{path} not found; download it again or point data_dir "
                        "at the folder that holds it")
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{path} is corrupt or truncated ({err}); download it again") from err
    if len(raw) < 4:
        raise DataError(f"{path} is too short to be an IDX file; download it again")
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != expect_magic:
        what = "images" if expect_magic == IMAGES_MAGIC else "labels"
        raise DataError(f"{path} has IDX magic number {magic}, expected {expect_magic} "
                        f"for {what}; is it the right file?")
    ndim = magic & 0xFF
    offset = 4 + 4 * ndim
    if len(raw) < offset:
        raise DataError(f"{path} ends inside its header; download it again")
    dims = struct.unpack(f">{ndim}I", raw[4:offset])
    count = int(np.prod(dims))
    if len(raw) - offset != count:
        raise DataError(f"{path} holds {len(raw) - offset} data bytes but its header "
                        f"promises {count} ({' x '.join(map(str, dims))}); download it again")
    return np.frombuffer(raw, np.uint8, count, offset).reshape(dims)
