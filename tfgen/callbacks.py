"""Keras callbacks of the training loop: checkpoints, guards, timing.

The callbacks that write what a run shows (sample grids, scalars, the
config, periodic metrics) are in :mod:`tfgen.summaries` and importable from
here too.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time

import keras
import tensorflow as tf

from tfgen import checkpoints
from tfgen.summaries import (  # noqa: F401 - importable from here as before
    ConfigSummary, EvaluateEvery, SampleGrid, ScalarLogger, config_hparams)


class CheckpointError(RuntimeError):
    """A checkpoint could not be written (disk full, permissions)."""


class CheckpointEvery(keras.callbacks.Callback):
    """Saves a ``tf.train.CheckpointManager`` checkpoint at each epoch end.

    An epoch is ``train.checkpoint_every`` steps, so a crash loses at most
    that many steps. Keras calls ``on_epoch_end`` even after a callback
    stopped training, so the save is skipped when ``guard`` saw a non-finite
    loss, and whenever any checkpointed variable is NaN or infinite: a bad
    state never evicts a good checkpoint (``tfgen.checkpoints``). With
    ``keep_every`` > 0, a checkpoint whose step is a multiple of it is also
    kept in ``checkpoints/kept/``, which the manager never prunes.
    """

    def __init__(self, manager: tf.train.CheckpointManager, step_fn, guard=None,
                 keep_every: int = 0):
        super().__init__()
        self.manager = manager
        self.step_fn = step_fn
        self.guard = guard
        self.keep_every = keep_every  # also keep steps that are multiples of it

    def on_epoch_end(self, epoch, logs=None):
        self.save()

    def save(self):
        """Saves the current state; returns the path, or None if skipped."""
        step = int(self.step_fn())
        if self.guard is not None and self.guard.failure:
            return None
        latest = self.manager.latest_checkpoint
        if latest and checkpoints.step_of(latest) == step:
            return latest
        if not checkpoints.all_finite(self.model):
            if self.guard is not None:
                self.guard.failure = ("a weight", float("nan"), step)
            self.model.stop_training = True
            return None
        try:
            path = self.manager.save(checkpoint_number=step)
            if self.keep_every and step % self.keep_every == 0:
                checkpoints.keep(path)
            return path
        except (tf.errors.OpError, OSError) as err:
            reason = getattr(err, "strerror", None) or str(err).strip().splitlines()[0]
            raise CheckpointError(
                f"cannot write the checkpoint of step {step} to "
                f"{self.manager.directory} ({reason}); free space or fix the "
                "permissions, then rerun the same command to resume") from err


class StopOnNonFinite(keras.callbacks.Callback):
    """Stops training when any logged loss is NaN or infinite.

    Keras' ``TerminateOnNaN`` only watches a key named ``loss``; a two-player
    model logs several. The offending key and step are kept in ``failure``
    so that the trainer can exit with a clear message.
    """

    def __init__(self, step_fn):
        super().__init__()
        self.step_fn = step_fn
        self.failure = None

    def on_train_batch_end(self, batch, logs=None):
        for key, value in (logs or {}).items():
            try:
                v = float(value)
            except (TypeError, ValueError):
                continue
            if not math.isfinite(v):
                self.failure = (key, v, int(self.step_fn()))
                self.model.stop_training = True
                return


class StopOnSignal(keras.callbacks.Callback):
    """Turns SIGINT / SIGTERM into a clean stop after the current step.

    Inside ``with stopper.installed():`` the first signal only records its
    number; training stops after the step in flight, and the epoch end
    saves a checkpoint (preemptible machines send SIGTERM shortly before
    they stop). A second SIGINT interrupts at once.
    """

    def __init__(self):
        super().__init__()
        self.signum = None

    def _handle(self, signum, frame):
        if self.signum is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.signum = signum

    @contextlib.contextmanager
    def installed(self):
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        old = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, h in old.items():
                signal.signal(s, h)

    def on_train_batch_end(self, batch, logs=None):
        if self.signum is not None:
            self.model.stop_training = True


class StepTimer(keras.callbacks.Callback):
    """Times training steps inside the loop, not ``fit``'s wall time.

    ``fit`` can wait seconds after its last step while tf.data's threads
    shut down (NOTES-keras3.md #12). This measures from the end of the
    first execution of each ``fit`` call (which includes tracing) to the end
    of its last, and sums over calls. With ``step_fn`` (the model's step) a
    batch callback that ends several steps (``train.steps_per_execution``)
    counts all of them; without it, each callback counts one step.
    """

    def __init__(self, step_fn=None):
        super().__init__()
        self.step_fn = step_fn
        self.seconds = 0.0
        self.steps = 0
        self._last = None  # (time, step) at the end of the previous execution

    def on_train_begin(self, logs=None):
        self._last = None

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        step = int(self.step_fn()) if self.step_fn is not None else None
        if self._last is not None:
            last_time, last_step = self._last
            self.seconds += now - last_time
            self.steps += step - last_step if step is not None else 1
        self._last = (now, step)

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else float("nan")
