"""Writing an export directory without ever losing a user's files.

An export is built in a temporary directory beside its destination
(``.export-HOST-PID-*``) and renamed into place; replacing an old export
first moves it aside (``.old-export-HOST-PID-*``). A process killed part-way
leaves only those directories, and :func:`clean_stale_temporaries` (run by
the next export into the same parent, and by the trainer on its workdir)
removes them once their process is gone, or puts an old export back when
the kill came between the two renames. :func:`check_destination` lets
``overwrite`` replace only a previous tfgen export, never a training
directory or a folder holding anything an export does not.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import sys
import tempfile

from tfgen.workdir import process_alive

METADATA_FILE = "tfgen.json"
FORMAT_PREFIX = "tfgen-"

# Everything tf.saved_model.save (and Keras 2's saver) puts in an export
# directory, plus our metadata; True marks directories.
EXPORT_ENTRIES = {"saved_model.pb": False, "fingerprint.pb": False,
                  "keras_metadata.pb": False, METADATA_FILE: False,
                  "variables": True, "assets": True}
# TensorFlow writes protos to NAME.tmpHEX and renames them; a process killed
# inside tf.saved_model.save can leave one in its temporary directory.
_PARTIAL_PROTO = re.compile(r"^(saved_model|fingerprint|keras_metadata)\.pb\.tmp[0-9a-f]*$")
# What tools/train.py puts in a --workdir (tfgen.workdir), to name it in the
# refusal; anything not in EXPORT_ENTRIES is refused anyway.
_WORKDIR_ENTRIES = ("checkpoints", "config.json", "tb", "samples", "log.txt",
                    "data_source.json", ".lock")

_TEMP_NAME = re.compile(r"^\.(export|old-export)-([0-9a-f]{8})-(\d+)-[a-z0-9_]+$")


class ExportExistsError(FileExistsError):
    """The export path exists and overwriting was not requested."""


class UnsafeOverwriteError(ExportExistsError):
    """``overwrite=True`` for a path that is not a previous tfgen export."""


def _move_into_place(target: str, path: str) -> None:
    """Renames ``target`` to ``path``, moving an existing ``path`` aside first."""
    if not os.path.lexists(path):
        os.rename(target, path)
        return
    trash = _make_temp(os.path.dirname(path), "old-export")
    # The old export keeps its own name inside the trash directory, so that a
    # kill between the two renames can be undone by clean_stale_temporaries.
    aside = os.path.join(trash, os.path.basename(path))
    os.rename(path, aside)
    try:
        os.rename(target, path)
    except BaseException:
        os.rename(aside, path)
        os.rmdir(trash)
        raise
    shutil.rmtree(trash, ignore_errors=True)


def check_destination(path: str, overwrite: bool) -> None:
    """Raises unless an export may be written at ``path``.

    A missing path is fine. An existing one needs ``overwrite``, and then it
    must be a previous tfgen export (``saved_model.pb`` and a ``tfgen.json``
    whose ``format`` starts with ``tfgen-``, and nothing an export does not
    hold) or an empty directory: replacing anything else could delete a
    training directory, or the folder above one, with all its checkpoints.

    Raises:
      ExportExistsError: ``path`` exists and ``overwrite`` is False.
      UnsafeOverwriteError: ``path`` exists but is not a tfgen export.
    """
    if not os.path.lexists(path):
        return
    if not overwrite:
        raise ExportExistsError(
            f"export path {path} already exists; pass --overwrite to replace it "
            "or choose another path")
    if os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
        return  # an empty directory: nothing to lose
    problem = _not_an_export(path)
    if problem:
        raise UnsafeOverwriteError(
            f"refusing to overwrite {path}: {problem}; --overwrite only replaces a "
            "previous tfgen export, so choose a new path (e.g. a subfolder "
            "named export) or remove it yourself")


def is_export(path: str) -> bool:
    """Whether ``path`` is a tfgen export holding nothing else."""
    return os.path.isdir(path) and not _not_an_export(path)


def _not_an_export(path: str) -> str | None:
    """Why ``path`` may not be replaced by an export, or None if it may."""
    if os.path.islink(path):
        return "it is a symbolic link"
    if not os.path.isdir(path):
        return "it is a file, not an export directory"
    names = sorted(os.listdir(path))
    workdir = [n for n in _WORKDIR_ENTRIES if n in names]
    if workdir:
        return (f"it looks like a training directory (it has {', '.join(workdir)}) "
                "or holds one")
    foreign = [n for n in names if n not in EXPORT_ENTRIES
               or os.path.islink(os.path.join(path, n))
               or os.path.isdir(os.path.join(path, n)) != EXPORT_ENTRIES[n]]
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        return f"it holds files that are not part of an export ({shown})"
    if "saved_model.pb" not in names:
        return "it has no saved_model.pb"
    try:
        fmt = read_metadata(path).get("format", "")
    except ValueError:
        fmt = ""
    if not str(fmt).startswith(FORMAT_PREFIX):
        return f"it is not a tfgen export (no {METADATA_FILE} with a tfgen format)"
    return None


def _host_tag() -> str:
    # Temporary names carry the host, so that on a shared filesystem a
    # process id is only ever checked on the machine that owns it.
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _make_temp(parent: str, kind: str) -> str:
    return tempfile.mkdtemp(prefix=f".{kind}-{_host_tag()}-{os.getpid()}-",
                            dir=parent)


def _holds_only_export_files(path: str, partial_ok: bool) -> bool:
    if os.path.islink(path) or not os.path.isdir(path):
        return False
    for name in os.listdir(path):
        full = os.path.join(path, name)
        if partial_ok and _PARTIAL_PROTO.match(name) and os.path.isfile(full):
            continue
        if name not in EXPORT_ENTRIES or os.path.islink(full):
            return False
        if os.path.isdir(full) != EXPORT_ENTRIES[name]:
            return False
    return True


def clean_stale_temporaries(parent: str) -> list:
    """Removes what killed exports left in ``parent``; returns what it did.

    Only directories named like this module's temporaries, made on this
    host by a process that no longer runs, and holding nothing but what an
    export writes are touched. An ``.old-export-*`` whose export's own
    path is missing (a kill between the two renames) is put back there
    rather than deleted.
    """
    done = []
    try:
        names = os.listdir(parent)
    except OSError:
        return done
    host = _host_tag()
    for name in names:
        m = _TEMP_NAME.match(name)
        if not m or m.group(2) != host or process_alive(int(m.group(3))):
            continue
        try:
            action = _clean_one(parent, name, m.group(1))
        except OSError:  # e.g. another process cleaning the same leftover
            continue
        if action:
            done.append(action)
    return done


def _clean_one(parent: str, name: str, kind: str):
    tmp = os.path.join(parent, name)
    if os.path.islink(tmp) or not os.path.isdir(tmp):
        return None
    inside = os.listdir(tmp)
    if kind == "export":
        if inside and (inside != ["model"] or not _holds_only_export_files(
                os.path.join(tmp, "model"), partial_ok=True)):
            return None
        shutil.rmtree(tmp)
        return ("removed", tmp)
    if not inside:
        os.rmdir(tmp)
        return ("removed", tmp)
    if len(inside) != 1 or not _holds_only_export_files(
            os.path.join(tmp, inside[0]), partial_ok=False):
        return None
    original = os.path.join(parent, inside[0])
    if os.path.lexists(original):
        shutil.rmtree(tmp)  # the swap completed; this is the replaced export
        return ("removed", tmp)
    os.rename(os.path.join(tmp, inside[0]), original)
    os.rmdir(tmp)
    print(f"note: put back {original}, whose replacement was interrupted",
          file=sys.stderr)
    return ("restored", original)


def read_metadata(path: str) -> dict:
    """The ``tfgen.json`` of an export ({} if absent).

    Raises:
      ValueError: the file is not a JSON object.
    """
    meta = os.path.join(path, METADATA_FILE)
    if not os.path.isfile(meta):
        return {}
    try:
        with open(meta) as f:
            value = json.load(f)
    except (ValueError, UnicodeDecodeError) as err:
        raise ValueError(f"{meta} is not valid JSON ({err}); export again") from err
    if not isinstance(value, dict):
        raise ValueError(f"{meta} is not a JSON object; export again")
    return value
