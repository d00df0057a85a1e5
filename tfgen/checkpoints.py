"""Checkpoints of a run: saved only when finite, restored from the newest good one.

A checkpoint holds the networks, every player's optimizer state and the
model's step counter (which seeds every random draw). Two rules keep a run
recoverable:

* a checkpoint is written only when every variable it holds is finite, so a
  divergence never evicts the good checkpoints (``max_to_keep``);
* a restore walks from the newest checkpoint to the oldest and takes the
  first one that reads completely and holds finite values, warning in one
  line about each it skips (truncated, corrupt, or written non-finite by an
  older version).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sys

import keras
import numpy as np
import tensorflow as tf

MAX_TO_KEEP = 3
# ``train.keep_every``: checkpoints kept beyond MAX_TO_KEEP, in this folder
# beside the manager's (bench/posthoc_average.py reads them).
KEPT_DIR = "kept"


def manager(model, workdir: str) -> tf.train.CheckpointManager:
    ckpt = tf.train.Checkpoint(model=model, **model.player_optimizers)
    return tf.train.CheckpointManager(
        ckpt, os.path.join(workdir, "checkpoints"), max_to_keep=MAX_TO_KEEP)


class ScratchManager(tf.train.CheckpointManager):
    """Saves like a manager and deletes at once: a non-chief worker's saves.

    Under ``MultiWorkerMirroredStrategy`` every worker must take part in a
    save; only the chief's is kept (TensorFlow's multi-worker contract).
    """

    def __init__(self, model, directory: str):
        ckpt = tf.train.Checkpoint(model=model, **model.player_optimizers)
        super().__init__(ckpt, os.path.join(directory, "checkpoints"), max_to_keep=1)

    def save(self, checkpoint_number=None, **kwargs):
        path = super().save(checkpoint_number=checkpoint_number, **kwargs)
        shutil.rmtree(self.directory, ignore_errors=True)
        return path


def variables(model) -> list:
    """Every variable a checkpoint of ``model`` holds."""
    out = list(model.weights)
    for opt in model.player_optimizers.values():
        out += list(opt.variables)
    return out


def all_finite(model) -> bool:
    for v in variables(model):
        value = np.asarray(v.numpy())
        if np.issubdtype(value.dtype, np.floating) and not np.isfinite(value).all():
            return False
    return True


def step_of(path: str) -> int:
    return int(path.rsplit("-", 1)[1])


def steps_in(folder: str) -> list:
    """The steps of the ``ckpt-<step>`` checkpoints in ``folder`` (a manager's
    directory or ``kept/``), increasing; a missing folder holds none."""
    if not os.path.isdir(folder):
        return []
    return sorted(int(m.group(1)) for f in os.listdir(folder)
                  if (m := re.fullmatch(r"ckpt-(\d+)\.index", f)))


def learning_rates(model) -> dict:
    """Each player's learning rate where it is a variable (not a schedule)."""
    out = {}
    for name, opt in model.player_optimizers.items():
        lr = getattr(opt, "_learning_rate", None)
        inner = getattr(opt, "inner_optimizer", None)
        if inner is not None:
            lr = getattr(inner, "_learning_rate", None)
        if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
            continue
        out[name] = float(np.asarray(opt.learning_rate))
    return out


def set_learning_rates(model, rates: dict) -> None:
    for name, value in rates.items():
        model.optimizer_for(name).learning_rate = value


def restore_newest_good(mgr: tf.train.CheckpointManager, model):
    """Restores the newest readable, finite checkpoint; returns its path or None.

    The learning rates the model was built with (from today's config) are
    kept: a checkpoint would otherwise bring back the old ones.
    """
    rates = learning_rates(model)
    for path in reversed(mgr.checkpoints):
        try:
            mgr.checkpoint.restore(path).assert_existing_objects_matched()
        except Exception as err:  # noqa: BLE001 - tf raises many kinds on bad files
            # (OpError, ValueError, AssertionError, IndexError, ...); each
            # checkpoint skipped is named with its reason, so nothing is hidden.
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            print(f"warning: skipping unreadable checkpoint {path} ({reason[:160]})",
                  file=sys.stderr)
            continue
        if not all_finite(model):
            print(f"warning: skipping checkpoint {path}: it holds NaN or Inf "
                  "weights", file=sys.stderr)
            continue
        set_learning_rates(model, rates)
        return path
    if mgr.checkpoints:
        raise RuntimeError(
            f"no checkpoint in {mgr.directory} is readable and finite; pass "
            "--overwrite to start the run again, or use a new --workdir")
    return None


def keep(path: str) -> str:
    """Keeps checkpoint ``path`` (``.../ckpt-N``) in ``kept/`` beside it.

    Hard links where the file system has them, copies otherwise; the data
    files go first and the index last, each under a temporary name renamed
    into place, so a reader of ``kept/`` never sees half a checkpoint.
    Returns the kept checkpoint's path.
    """
    folder = os.path.join(os.path.dirname(path), KEPT_DIR)
    os.makedirs(folder, exist_ok=True)
    files = sorted(glob.glob(glob.escape(path) + ".*"), key=lambda f: f.endswith(".index"))
    if not any(f.endswith(".index") for f in files):
        raise FileNotFoundError(f"{path}.index not found; nothing to keep")
    for src in files:
        dst = os.path.join(folder, os.path.basename(src))
        tmp = f"{dst}.tmp-{os.getpid()}"
        try:
            try:
                os.link(src, tmp)
            except OSError:
                shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
        finally:
            if os.path.lexists(tmp):
                os.remove(tmp)
    return os.path.join(folder, os.path.basename(path))
