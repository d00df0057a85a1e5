"""The training directory: one run at a time, atomic writes, its own leftovers.

Everything here touches only what ``tools/train.py`` itself writes into a
workdir (see ``tfgen.trainer`` for the layout); a user's other files in the
same folder are never removed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sys
import time

LOCK_FILE = ".lock"
LOG_FILE = "log.txt"
# tf.train writes ckpt-N into ckpt-N_temp/ and merges it; a kill leaves it.
_CKPT_TEMP = re.compile(r"^ckpt-\d+_temp$")
_CKPT_FILE = re.compile(r"^(checkpoint|ckpt-\d+(\.index|\.data-\d+-of-\d+))$")
_SAMPLE_FILE = re.compile(r"^step_\d+\.png$")


class WorkdirBusyError(RuntimeError):
    """Another live training holds the workdir's lock."""


def _process_start(pid: int):
    """The kernel's start time of ``pid`` (clock ticks), or None if unknown."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def process_alive(pid: int, start=None) -> bool:
    """Whether process ``pid`` runs on this host (and, given ``start``, is
    the same process and not a later one that reuses the number)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    # A recycled PID belongs to a process that started later.
    now = _process_start(pid)
    return start is None or now is None or now == start


class Lock:
    """An exclusive lock on a workdir that a killed process does not keep.

    The lock file records the holder's PID, its start time and the host.
    A lock left by a process that no longer runs on this host is stale and
    taken over with a warning; a lock from another host cannot be checked
    and is refused with the holder's identity.
    """

    def __init__(self, workdir: str):
        self.path = os.path.join(workdir, LOCK_FILE)
        self.held = False

    def acquire(self) -> "Lock":
        me = dict(pid=os.getpid(), start=_process_start(os.getpid()),
                  host=socket.gethostname(), since=time.strftime("%Y-%m-%d %H:%M:%S"))
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._read()
                if holder is None or (holder.get("host") == me["host"] and not process_alive(
                        int(holder.get("pid", -1)), holder.get("start"))):
                    who = f"PID {holder.get('pid')}" if holder else "an unreadable lock"
                    print(f"warning: removing the stale lock of {who} (no longer "
                          f"running) in {os.path.dirname(self.path)}", file=sys.stderr)
                    try:
                        os.remove(self.path)
                    except FileNotFoundError:
                        pass
                    continue
                raise WorkdirBusyError(
                    f"{os.path.dirname(self.path)} is in use by another training "
                    f"(PID {holder.get('pid')} on {holder.get('host')}, since "
                    f"{holder.get('since')}); wait for it to finish or use another "
                    f"--workdir (remove {self.path} only if that process is gone)")
            with os.fdopen(fd, "w") as f:
                json.dump(me, f)
            self.held = True
            return self
        raise WorkdirBusyError(f"cannot take the lock {self.path}; retry")

    def _read(self):
        try:
            with open(self.path) as f:
                return json.load(f)
        except FileNotFoundError:
            return {"pid": -1, "host": socket.gethostname()}
        except (OSError, ValueError):
            # Written by a process killed mid-write: unreadable only if old.
            try:
                if time.time() - os.path.getmtime(self.path) < 5:
                    return {"pid": "?", "host": "?", "since": "just now"}
            except OSError:
                pass
            return None

    def release(self) -> None:
        if not self.held:
            return
        holder = self._read() or {}
        if holder.get("pid") == os.getpid():
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass
        self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def prepare(workdir: str) -> None:
    """Creates ``workdir`` (or checks it is a writable folder)."""
    if os.path.exists(workdir) and not os.path.isdir(workdir):
        raise NotADirectoryError(
            f"--workdir {workdir} is a file, not a folder; choose another --workdir")
    os.makedirs(workdir, exist_ok=True)
    if not os.access(workdir, os.W_OK | os.X_OK):
        raise PermissionError(
            f"--workdir {workdir} is not writable; fix its permissions or choose "
            "another --workdir")


def clean_leftovers(workdir: str) -> list:
    """Removes the temporary checkpoint folders a killed save left behind."""
    removed = []
    ckpt_dir = os.path.join(workdir, "checkpoints")
    if os.path.isdir(ckpt_dir):
        for name in os.listdir(ckpt_dir):
            path = os.path.join(ckpt_dir, name)
            if _CKPT_TEMP.match(name) and os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def write_text(path: str, text: str) -> None:
    """Writes ``path`` atomically: a reader sees the old or the new file."""
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def log(workdir: str, message: str) -> None:
    """Appends a time-stamped line to the run's log (``log.txt``)."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    with open(os.path.join(workdir, LOG_FILE), "a") as f:
        f.write(f"{stamp} {message}\n")


def discard_run(workdir: str, is_export) -> list:
    """Removes a previous run's files (for ``--overwrite``), and only those.

    Checkpoint files, sample grids, TensorBoard event files, config.json,
    data_source.json and the log are recognised by name; ``export/`` only if
    ``is_export(path)`` says it is a tfgen export. Anything else stays, and
    a folder that still holds something after its own files are gone stays.

    Returns:
      The paths removed.
    """
    removed = []

    def rm(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
        removed.append(path)

    for name in ("config.json", "data_source.json", LOG_FILE):
        if os.path.isfile(os.path.join(workdir, name)):
            rm(os.path.join(workdir, name))
    for sub, pattern in (("checkpoints", _CKPT_FILE), ("samples", _SAMPLE_FILE),
                         (os.path.join("checkpoints", "kept"), _CKPT_FILE)):
        d = os.path.join(workdir, sub)
        if os.path.isdir(d):
            for name in os.listdir(d):
                if pattern.match(name) or (sub == "checkpoints" and _CKPT_TEMP.match(name)):
                    rm(os.path.join(d, name))
    tb = os.path.join(workdir, "tb")
    if os.path.isdir(tb):
        for root, _, files in os.walk(tb):
            for name in files:
                if name.startswith("events.out.tfevents."):
                    rm(os.path.join(root, name))
    export_dir = os.path.join(workdir, "export")
    if os.path.exists(export_dir):
        if not is_export(export_dir):
            raise FileExistsError(
                f"{export_dir} is not a tfgen export; move it away before "
                "--overwrite starts the run again")
        rm(export_dir)
    for sub in ("checkpoints", "samples", "tb"):
        d = os.path.join(workdir, sub)
        # Bottom-up, so that empty sub-folders the writer made go first.
        if os.path.isdir(d):
            for root, dirs, files in os.walk(d, topdown=False):
                if not os.listdir(root):
                    os.rmdir(root)
    return removed
