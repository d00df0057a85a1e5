"""Keras callbacks of the training loop: checkpoints, samples, guards, timing."""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import time

import keras
import numpy as np
import tensorflow as tf

from tfgen import checkpoints, images


class CheckpointError(RuntimeError):
    """A checkpoint could not be written (disk full, permissions)."""


class CheckpointEvery(keras.callbacks.Callback):
    """Saves a ``tf.train.CheckpointManager`` checkpoint at each epoch end.

    An epoch is ``train.checkpoint_every`` steps, so a crash loses at most
    that many steps. Keras calls ``on_epoch_end`` even after a callback
    stopped training, so the save is skipped when ``guard`` saw a non-finite
    loss, and whenever any checkpointed variable is NaN or infinite: a bad
    state never evicts a good checkpoint (``tfgen.checkpoints``).
    """

    def __init__(self, manager: tf.train.CheckpointManager, step_fn, guard=None):
        super().__init__()
        self.manager = manager
        self.step_fn = step_fn
        self.guard = guard

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
            return self.manager.save(checkpoint_number=step)
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
    first step of each ``fit`` call (which includes tracing) to the end of
    its last step, and sums over calls.
    """

    def __init__(self):
        super().__init__()
        self.seconds = 0.0
        self.steps = 0
        self._last = None

    def on_train_begin(self, logs=None):
        self._last = None

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        if self._last is not None:
            self.seconds += now - self._last
            self.steps += 1
        self._last = now

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else float("nan")


class SampleGrid(keras.callbacks.Callback):
    """Writes a fixed-latent sample grid as PNG and a TensorBoard image."""

    def __init__(self, out_dir: str, every: int, num: int, step_fn,
                 writer=None, reference=None):
        super().__init__()
        self.out_dir = out_dir
        self.every = every
        self.num = num
        self.step_fn = step_fn
        self.writer = writer
        self.reference = reference

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.step_fn())
        if self.every and step % self.every == 0:
            self.write(step)

    def write(self, step: int) -> str:
        x = np.asarray(self.model.generate(self.num, seed=0))
        kwargs = {"reference": self.reference} if x.ndim == 2 else {}
        pic = images.picture(x, **kwargs)
        path = images.save_png(
            os.path.join(self.out_dir, f"step_{step:07d}.png"), pic)
        if self.writer is not None:
            with self.writer.as_default():
                tf.summary.image("samples", pic[None], step=step)
            self.writer.flush()
        return path


class ScalarLogger(keras.callbacks.Callback):
    """TensorBoard scalars of every logged value, keyed by the model's step.

    Keras' own TensorBoard callback counts batches from zero on each ``fit``,
    so curves would restart after a resume; this one uses the checkpointed
    step counter. A tracker's scalar is the mean over the steps since the
    previous write (with ``every = 1``, the value of that step, e.g. CTRL's
    ΔR per iteration), computed from the difference of the tracker's total
    and count between writes; the trackers themselves are left alone, so
    the progress bar and ``History`` keep their running means.
    """

    def __init__(self, writer, every: int, step_fn, first_step: bool = False):
        super().__init__()
        self.writer = writer
        self.every = max(int(every), 1)
        self.step_fn = step_fn
        # Also write the first step this logger sees (step 1, or a resume's
        # start + 1), so a run's curves begin at once, not ``every`` steps in.
        self._first = bool(first_step)
        self._seen = {}  # tracker name -> (total, count) at the previous write

    def on_epoch_begin(self, epoch, logs=None):
        self._seen = {}  # fit resets the trackers at each epoch

    def _interval_means(self) -> dict:
        out = {}
        for m in self.model.metrics:
            total, count = getattr(m, "total", None), getattr(m, "count", None)
            if total is None or count is None:
                continue
            t, c = float(np.asarray(total)), float(np.asarray(count))
            t0, c0 = self._seen.get(m.name, (0.0, 0.0))
            if c < c0:  # reset since the previous write
                t0, c0 = 0.0, 0.0
            self._seen[m.name] = (t, c)
            if c > c0:
                out[m.name] = (t - t0) / (c - c0)
        return out

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.step_fn())
        first, self._first = self._first, False
        if step % self.every and not first:
            return
        values = dict(logs or {})
        values.update(self._interval_means())
        with self.writer.as_default():
            for key, value in values.items():
                try:
                    tf.summary.scalar(key, float(value), step=step)
                except (TypeError, ValueError):
                    continue

    def on_epoch_end(self, epoch, logs=None):
        self.writer.flush()


def config_hparams(config) -> dict:
    """The config's scalar fields (str, bool, int, float) keyed by dotted path.

    Tuples and lists (e.g. an MLP's hidden sizes) are left out: the HParams
    plugin takes one scalar per hyper-parameter; the text summary has them.
    """
    tree = config.to_dict() if hasattr(config, "to_dict") else dict(config)
    out = {}

    def walk(d, prefix):
        for key in sorted(d):
            value = d[key]
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, (bool, str)):
                out[prefix + key] = value
            elif isinstance(value, (int, float, np.integer, np.floating)):
                out[prefix + key] = value.item() if hasattr(value, "item") else value

    walk(tree, "")
    return out


class ConfigSummary(keras.callbacks.Callback):
    """Writes the run's config to TensorBoard once, when training begins.

    As hyper-parameters (the HParams dashboard compares runs by them; only
    scalar fields, see :func:`config_hparams`) and as text (the whole config
    as JSON, at the step the run starts or resumes from, so a resume that
    changed learning rates shows both versions in the Text dashboard).
    """

    def __init__(self, writer, config, step_fn, trial_id: str | None = None):
        super().__init__()
        self.writer, self.config, self.step_fn = writer, config, step_fn
        self.trial_id = trial_id
        self.written = False

    def on_train_begin(self, logs=None):
        if self.written:
            return
        self.written = True
        from tensorboard.plugins.hparams import api as hp

        from tfgen import config as config_lib

        step = int(self.step_fn())
        text = config_lib.to_json(self.config)
        with self.writer.as_default():
            hp.hparams(config_hparams(self.config), trial_id=self.trial_id)
            # Indented four spaces: a Markdown code block keeps the layout.
            tf.summary.text("config", "\n".join("    " + line for line in
                                                 text.splitlines()), step=step)
        self.writer.flush()


class EvaluateEvery(keras.callbacks.Callback):
    """Computes quality metrics every ``every`` steps and logs them to TensorBoard."""

    def __init__(self, dataset, metric_names, every, num_samples, step_fn, writer,
                 data_dir=None):
        super().__init__()
        self.args = (dataset, metric_names, num_samples, data_dir)
        self.every, self.step_fn, self.writer = every, step_fn, writer
        self.last = None

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.step_fn())
        if step % self.every:
            return
        from tfgen import evaluation

        dataset, names, num, data_dir = self.args
        self.last = evaluation.evaluate_sampler(
            lambda n, s: np.asarray(self.model.generate(n, seed=s)), dataset, names,
            num, data_dir)
        with self.writer.as_default():
            for key, value in _flatten(self.last["metrics"]).items():
                tf.summary.scalar("eval/" + key, value, step=step)
        self.writer.flush()


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}/"))
        elif isinstance(v, (int, float)) and math.isfinite(v):
            out[prefix + k] = float(v)
    return out
