"""Reader for the IDX files of MNIST and Fashion-MNIST (LeCun et al. 1998).

Format: a big-endian header (magic 0x00000803 for uint8 images with three
dimensions, 0x00000801 for uint8 labels with one), the dimension sizes as
uint32, then the raw bytes; the standard files are gzip-compressed.
"""

from __future__ import annotations

import gzip
import struct
import zlib

import numpy as np

from tfgen.data.errors import DataError

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049


def read_idx(path: str, expect_magic: int) -> np.ndarray:
    """Reads one (optionally gzipped) IDX file and validates its header."""
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{path} is corrupt or truncated ({err}); download it "
                        "again") from err
    if len(raw) < 8:
        raise DataError(f"{path} is too short to be an IDX file; download it again")
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != expect_magic:
        raise DataError(f"{path} has IDX magic {magic}, expected {expect_magic}; "
                        "is it the right file (images vs labels)?")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    offset = 4 + 4 * ndim
    count = int(np.prod(dims))
    if len(raw) - offset != count:
        raise DataError(f"{path} holds {len(raw) - offset} bytes of data but its "
                        f"header promises {count}; download it again")
    return np.frombuffer(raw, np.uint8, count, offset).reshape(dims)
