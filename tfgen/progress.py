"""One progress display for a whole training run, and its closing summary.

``fit_loop.train`` calls ``model.fit`` once per chunk of checkpoint intervals,
so Keras' own bar would restart from zero at each chunk (and count epochs, not
the run's steps). :class:`RunProgress` instead follows the model's step
counter from the run's first step (a resumed run's earlier steps count as
done) to ``train.steps``:

* ``mode="bar"`` (a terminal): one line redrawn in place with ``\\r``;
* ``mode="lines"`` (a log file): a line when the run starts, each time another
  ``every_percent`` of the run is done or ``every_seconds`` have passed since
  the previous line, and when it ends;
* ``mode="off"``: nothing is printed; the wall time is still kept for the
  summary.

Each line shows the step out of the total, the rate, the time left and the
latest logged values (Keras' running means over the current interval).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
import time

import keras

MODES = ("bar", "lines", "off")


def mode_for(verbose) -> str:
    """The display for a ``verbose`` value: None = bar on a terminal, lines otherwise."""
    if verbose is None:
        isatty = getattr(sys.stdout, "isatty", lambda: False)
        return "bar" if isatty() else "lines"
    return {0: "off", 1: "bar"}.get(int(verbose), "lines")


def format_duration(seconds: float) -> str:
    """``M:SS`` or ``H:MM:SS``; ``?`` when unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "?"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_rate(steps_per_second: float) -> str:
    """``12.3 steps/s``, or ``4.1 s/step`` below one step a second."""
    if steps_per_second is None or not steps_per_second > 0:
        return "? steps/s"
    if steps_per_second < 1:
        return f"{1 / steps_per_second:.1f} s/step"
    return f"{steps_per_second:.1f} steps/s"


def _format_value(value) -> str | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return f"{v:.4g}"


class RunProgress(keras.callbacks.Callback):
    """Progress of the steps ``start``..``total`` over any number of ``fit`` calls.

    Args:
      start: the model's step when the run (or resume) begins.
      total: ``train.steps``.
      step_fn: returns the model's current step.
      mode: ``bar``, ``lines`` or ``off``.
      every_percent: in ``lines`` mode, a line each time this share of the
        whole run is done.
      every_seconds: in ``lines`` mode, a line at least this often.
      stream: where to write (default: ``sys.stdout`` at the time of writing).
      clock: seconds, monotonic (tests pass a fake one).
    """

    def __init__(self, start: int, total: int, step_fn, mode: str = "lines",
                 every_percent: float = 10.0, every_seconds: float = 30.0,
                 stream=None, clock=time.monotonic):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"progress mode must be one of {MODES}, got {mode!r}")
        self.start, self.total = int(start), int(total)
        self.step_fn, self.mode = step_fn, mode
        self.every_percent = float(every_percent)
        self.every_seconds = float(every_seconds)
        self._stream, self.clock = stream, clock
        self.began = clock()  # the run's wall time counts from here
        self.ended = None
        self.step = self.start
        self.values = {}
        self._first = None  # (step, time) at the end of the run's first step
        self._at = None  # time at the end of the latest step
        self._last_line = None  # (step, time) of the previous line (lines mode)
        self._last_draw = None  # time of the previous redraw (bar mode)
        self._opened = False
        self._width = 0  # of the line currently on screen (bar mode)
        self.lines = []  # every line shown, in order (tests read them)

    # -- measurements ------------------------------------------------------

    @property
    def stream(self):
        return self._stream if self._stream is not None else sys.stdout

    def rate(self) -> float:
        """Steps per second since the end of the run's first step (tracing excluded)."""
        if self._first is None:
            return float("nan")
        step0, t0 = self._first
        dt = self._at - t0
        return (self.step - step0) / dt if dt > 0 and self.step > step0 else float("nan")

    def eta(self) -> float:
        """Seconds left at the current rate (NaN until two steps are done)."""
        r = self.rate()
        return (self.total - self.step) / r if r > 0 else float("nan")

    def wall_seconds(self) -> float:
        return (self.ended if self.ended is not None else self.clock()) - self.began

    # -- text --------------------------------------------------------------

    def line(self, bar_width: int = 0) -> str:
        """The current state as one line."""
        total = max(self.total, 1)
        frac = min(max(self.step / total, 0.0), 1.0)
        # Rounded down: 100% only once the last step is done.
        head = f"step {self.step}/{self.total} {math.floor(100 * frac):3d}%"
        if bar_width > 0:
            filled = int(round(frac * bar_width))
            head += " |" + "#" * filled + "-" * (bar_width - filled) + "|"
        parts = [head]
        if self._first is None:  # the opening line: nothing measured yet
            parts.append("resuming" if self.start > 0 else "starting")
        elif self.step < self.total:
            parts += [format_rate(self.rate()), f"ETA {format_duration(self.eta())}"]
        else:
            parts += [format_rate(self.rate()),
                      f"{format_duration(self.wall_seconds())} elapsed"]
        vals = [f"{k} {v}" for k, v in self.values.items()]
        if vals:
            parts.append("  ".join(vals))
        return "  ".join(parts)

    def _emit(self, final: bool = False):
        if self.mode == "off":
            self.lines.append(self.line())
            return
        if self.mode == "lines":
            text = self.line()
            self.lines.append(text)
            self.stream.write(text + "\n")
        else:
            columns = shutil.get_terminal_size((100, 24)).columns
            bar = max(10, min(30, columns // 5))
            text = self.line(bar_width=bar)
            # A line that wraps cannot be redrawn with \r: cut it to the width.
            text = text[:max(columns - 1, 20)]
            self.lines.append(text)
            pad = " " * max(self._width - len(text), 0)
            self.stream.write("\r" + text + pad + ("\n" if final else ""))
            self._width = 0 if final else len(text)
        self.stream.flush()

    # -- Keras hooks -------------------------------------------------------

    def on_train_begin(self, logs=None):
        if self._opened:
            return
        self._opened = True
        self.step = int(self.step_fn())
        self._last_line = (self.step, self.clock())
        self._emit()

    def on_train_batch_end(self, batch, logs=None):
        now = self._at = self.clock()
        self.step = int(self.step_fn())
        shown = {}
        for key, value in (logs or {}).items():
            text = _format_value(value)
            if text is not None:
                shown[key] = text
        self.values = shown
        if self._first is None:
            self._first = (self.step, now)
        if self.step >= self.total:
            return  # on_train_end prints the final line
        if self.mode == "lines":
            last_step, last_time = self._last_line
            per = self.every_percent / 100 * max(self.total, 1)
            crossed = per > 0 and math.floor(self.step / per) > math.floor(last_step / per)
            if crossed or now - last_time >= self.every_seconds:
                self._last_line = (self.step, now)
                self._emit()
        elif self.mode == "bar":
            if self._last_draw is None or now - self._last_draw >= 0.1:
                self._last_draw = now
                self._emit()

    def on_train_end(self, logs=None):
        # The last fit call of a run ends at the total or with a stop request.
        if self.step >= self.total or (self.model is not None
                                       and self.model.stop_training):
            self.finish()

    def finish(self):
        """Shows the final state once (also after an error mid-run)."""
        if self.ended is not None:
            return
        self.ended = self.clock()
        self.step = int(self.step_fn())
        if self._opened:
            self._emit(final=True)


def summary(progress: RunProgress, timer, workdir: str, export_enabled: bool,
            samples: bool = True) -> str:
    """The run's closing line: steps, wall time, the in-loop rate, where things are.

    ``timer`` is a ``tfgen.callbacks.StepTimer`` (steps timed inside ``fit``,
    without tracing and tf.data's shutdown). ``samples``: whether sample
    grids were written. The export is written after training, by the
    trainer, into ``workdir/export``: it is named when the run reached its
    total and exports are enabled.
    """
    step, start, total = progress.step, progress.start, progress.total
    verb = "Trained" if step >= total else "Stopped"
    text = (f"{verb} to step {step}/{total} ({step - start} steps this run) in "
            f"{format_duration(progress.wall_seconds())}")
    if timer is not None and timer.steps:
        text += (f", {format_rate(timer.steps_per_second)} inside the loop "
                 f"({timer.steps} steps timed)")
    where = [f"checkpoints {os.path.join(workdir, 'checkpoints')}"]
    if samples:
        where.append(f"samples {os.path.join(workdir, 'samples')}")
    where.append(f"TensorBoard {os.path.join(workdir, 'tb')}")
    if export_enabled and step >= total:
        where.append(f"export {os.path.join(workdir, 'export')}")
    return text + "; " + ", ".join(where)


_IN_LOOP = re.compile(r"([0-9.]+) (steps/s|s/step) inside the loop")


def in_loop_rate(log: str) -> float:
    """Steps per second inside the loop, from the last closing line (:func:`summary`)
    in ``log``; benchmarks read a trainer's output with it."""
    found = _IN_LOOP.findall(log)
    if not found:
        raise ValueError("the trainer printed no in-loop rate")
    value, unit = found[-1]
    return float(value) if unit == "steps/s" else 1.0 / float(value)
