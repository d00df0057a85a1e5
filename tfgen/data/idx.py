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
    """Reads one (optionally gzipped) IDX file and validates its header.

    Raises:
      DataError: the file is missing, unreadable, corrupt, truncated or of
        the wrong kind; the message names the file and the fix.
    """
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError as err:
        raise DataError(f"{path} not found; download it (the four IDX .gz files "
                        "belong in one folder)") from err
    except (IsADirectoryError, PermissionError) as err:
        raise DataError(f"cannot read {path} ({err.strerror}); it must be a "
                        "readable IDX file") from err
    # gzip reports damage as BadGzipFile (an OSError), EOFError or zlib.error.
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{path} is corrupt or truncated ({err}); download it "
                        "again") from err
    if len(raw) < 4:
        raise DataError(f"{path} is too short to be an IDX file ({len(raw)} bytes); "
                        "download it again")
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != expect_magic:
        raise DataError(f"{path} has IDX magic {magic}, expected {expect_magic}; "
                        "is it the right file (images vs labels)?")
    ndim = magic & 0xFF
    offset = 4 + 4 * ndim
    if len(raw) < offset:
        raise DataError(f"{path} is too short to be an IDX file (its header needs "
                        f"{offset} bytes, found {len(raw)}); download it again")
    dims = struct.unpack(">" + "I" * ndim, raw[4:offset])
    count = int(np.prod(dims))
    if len(raw) - offset != count:
        raise DataError(f"{path} holds {len(raw) - offset} bytes of data but its "
                        f"header promises {count}; download it again")
    return np.frombuffer(raw, np.uint8, count, offset).reshape(dims)
