"""Writing a file so that a reader sees the old file or the whole new one."""

from __future__ import annotations

import os
import tempfile


def write_atomically(out: str, write) -> None:
    """Calls ``write(tmp)`` for a temporary file beside ``out``, then renames it.

    The temporary file keeps ``out``'s extension (PIL and NumPy pick the format
    from it) and is removed if ``write`` fails, so nothing half written stays.
    """
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    ext = os.path.splitext(out)[1]
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(out)}.", suffix=f".tmp{ext}",
                               dir=folder)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 is for the temp file only
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
