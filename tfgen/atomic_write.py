"""Writing output files without replacing what the user already has.

:func:`refuse_existing` is the check a command makes before it starts work,
:func:`write_atomically`, :func:`write_text` and :func:`write_json` the writes
at its end: a reader sees the old file or the whole new one, never half of it.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile


def refuse_existing(path: str, overwrite: bool, flag: str = "--out",
                    siblings: str | None = None) -> None:
    """Raises FileExistsError when ``path`` exists and ``overwrite`` is false.

    ``siblings`` is a glob suffix after ``path``'s stem for the files written
    beside it, e.g. ``"_*.png"`` for the plots a benchmark draws next to its
    JSON; any of them existing refuses too. Call it before the work starts, so
    an hour of training never ends in a refused write.
    """
    if not path or overwrite:
        return
    found = [path] if os.path.lexists(path) else []
    if siblings:
        found += sorted(glob.glob(glob.escape(os.path.splitext(path)[0]) + siblings))
    if found:
        more = f" (and {len(found) - 1} more beside it)" if len(found) > 1 else ""
        what = f"{flag}={path}" if found[0] == path else f"{flag}={path}: {found[0]}"
        raise FileExistsError(f"{what} exists{more}; pass --overwrite to replace it or name "
                              "another file")


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


def write_text(out: str, text: str) -> None:
    """Writes ``text`` to ``out`` atomically (see :func:`write_atomically`)."""

    def write(tmp):
        with open(tmp, "w") as f:
            f.write(text)

    write_atomically(out, write)


def write_json(out: str, obj, sort_keys: bool = True, indent: int = 1) -> str:
    """Writes ``obj`` as JSON to ``out`` atomically; returns the text (a
    benchmark prints it too)."""
    text = json.dumps(obj, indent=indent, sort_keys=sort_keys)
    write_text(out, text + "\n")
    return text
