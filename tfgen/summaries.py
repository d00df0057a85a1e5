"""Keras callbacks that write what a run shows: samples, scalars, config, metrics.

Samples come from the model's export parts (``model.export_parts()``, see
:mod:`tfgen.export_parts`), chosen by kind as the tools choose them: a
``sample`` part gives the usual grid, a ``conditional_sample`` part one row
per class; a model with neither (e.g. only ``translate`` parts) gets no
sample grid and no periodic evaluation.
"""

from __future__ import annotations

import math
import os

import keras
import numpy as np
import tensorflow as tf

from tfgen import images


def _pick(parts: dict, kind: str):
    """The part of ``kind``: the one named so, else the first by name."""
    names = sorted(n for n, p in parts.items() if getattr(p, "kind", None) == kind)
    if not names:
        return None
    return parts[kind] if kind in names else parts[names[0]]


def preview(parts: dict, num: int, seed: int = 0):
    """(samples, columns) for a sample grid from ``parts``, or (None, None).

    A ``sample`` part draws ``num`` samples (exactly the export's
    ``sample(num, seed)``); a ``conditional_sample`` part ``num // K`` per
    class (at least one), class by class, one row each.
    """
    part = _pick(parts, "sample")
    if part is not None:
        return part.preview(num, seed), None
    part = _pick(parts, "conditional_sample")
    if part is None:
        return None, None
    k = int(part.num_classes.numpy())
    per = max(1, num // k)
    return part.preview(np.repeat(np.arange(k), per), seed), per


def sampler(parts: dict):
    """``sample(num, seed) -> images`` for evaluation, or None without a
    sample kind; a conditional part draws its classes in turn."""
    part = _pick(parts, "sample")
    if part is not None:
        return lambda n, s: part.preview(n, s)
    part = _pick(parts, "conditional_sample")
    if part is None:
        return None
    k = int(part.num_classes.numpy())
    return lambda n, s: part.preview(np.arange(n) % k, s)


class SampleGrid(keras.callbacks.Callback):
    """Writes a fixed-seed sample grid as PNG and a TensorBoard image.

    The model's ``sample`` part gives seed 0's ``num`` samples (a
    ``conditional_sample`` part a row per class); without either, nothing
    is written.
    """

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

    def write(self, step: int) -> str | None:
        x, ncols = preview(self.model.export_parts(), self.num)
        if x is None:
            return None
        kwargs = ({"reference": self.reference} if x.ndim == 2
                  else {"ncols": ncols} if ncols else {})
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
    """Computes quality metrics every ``every`` steps and logs them to TensorBoard.

    Samples come from the model's ``sample`` (or ``conditional_sample``)
    part; a model with neither is not evaluated.
    """

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

        sample = sampler(self.model.export_parts())
        if sample is None:
            return
        dataset, names, num, data_dir = self.args
        self.last = evaluation.evaluate_sampler(sample, dataset, names, num, data_dir)
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
