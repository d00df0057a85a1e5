"""Keras callbacks of the training loop: checkpoints, samples, NaN guard."""

from __future__ import annotations

import math
import os

import keras
import numpy as np
import tensorflow as tf

from tfgen import images


class NonFiniteLossError(RuntimeError):
    """A tracked loss became NaN or infinite."""


class CheckpointEvery(keras.callbacks.Callback):
    """Saves a ``tf.train.CheckpointManager`` checkpoint at each epoch end.

    An epoch is ``train.checkpoint_every`` steps, so a crash loses at most
    that many steps. The checkpoint holds the networks, every optimizer's
    state and the model's step counter (which seeds all random draws).
    """

    def __init__(self, manager: tf.train.CheckpointManager, step_fn):
        super().__init__()
        self.manager = manager
        self.step_fn = step_fn

    def on_epoch_end(self, epoch, logs=None):
        self.manager.save(checkpoint_number=int(self.step_fn()))


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

    def __init__(self, writer, every: int, step_fn):
        super().__init__()
        self.writer = writer
        self.every = max(int(every), 1)
        self.step_fn = step_fn
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
        if step % self.every:
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
