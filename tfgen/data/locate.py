"""Where data files are looked for and where decoded arrays are cached."""

from __future__ import annotations

import os

DATA_DIR_ENV = "TFGEN_DATA_DIR"
CACHE_DIR_ENV = "TFGEN_CACHE_DIR"
FIX = (f"pass data_dir (--config.data.data_dir or --data_dir) or set {DATA_DIR_ENV}")


def resolve_dir(data_dir: str | None) -> str | None:
    """The data folder: ``data_dir``, else ``$TFGEN_DATA_DIR``, else None.

    Args:
      data_dir: a folder given by the caller, or None / "".

    Returns:
      An absolute path with ``~`` expanded, or None when neither is set.
    """
    d = data_dir or os.environ.get(DATA_DIR_ENV) or None
    return os.path.abspath(os.path.expanduser(d)) if d else None


def cache_dir() -> str:
    """``$TFGEN_CACHE_DIR`` or ``~/.cache/tfgen`` (created on demand)."""
    d = os.environ.get(CACHE_DIR_ENV) or os.path.join(
        os.path.expanduser("~"), ".cache", "tfgen")
    os.makedirs(d, exist_ok=True)
    return d
