"""One progress display per run, its summary line, and what a run writes to TensorBoard.

The display is driven with a fake clock and step counter (exact lines), then
through real ``model.fit`` calls split the way ``fit_loop`` splits a run, and
finally through ``trainer.run`` on the ring8 GAN (a few seconds), whose
TensorBoard events are read back with ``EventAccumulator``.
"""

import io
import json
import os
import re
import sys
import textwrap

import keras
import pytest
import tensorflow as tf
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from tfgen import callbacks, fit_loop, progress, trainer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "configs"))

LINE = re.compile(r"^step (\d+)/(\d+) +(\d+)%")


class FakeRun:
    """A step counter and a clock that advances ``dt`` seconds per step."""

    def __init__(self, start, dt=1.0):
        self.step, self.time, self.dt = start, 100.0, dt

    def advance(self):
        self.step += 1
        self.time += self.dt


def drive(p, run, until, logs=None):
    p.on_train_begin()
    while run.step < until:
        run.advance()
        p.on_train_batch_end(0, logs or {"d_loss": 1.25, "g_loss": 0.5})
    p.on_train_end()


def steps_of(lines):
    return [int(LINE.match(l).group(1)) for l in lines]


def etas_of(lines):
    out = []
    for l in lines:
        m = re.search(r"ETA (\d+):(\d\d)", l)
        if m:
            out.append(int(m.group(1)) * 60 + int(m.group(2)))
    return out


def test_lines_of_a_resumed_run_start_at_the_resume_and_end_at_the_total():
    run, out = FakeRun(start=40), io.StringIO()
    p = progress.RunProgress(40, 100, lambda: run.step, mode="lines",
                             every_percent=10, every_seconds=1e9, stream=out,
                             clock=lambda: run.time)
    drive(p, run, 100)
    lines = out.getvalue().splitlines()
    assert lines == p.lines
    # The resumed steps count as done: the first line is at 40 of 100, not 0.
    assert lines[0].startswith("step 40/100  40%") and "resuming" in lines[0]
    assert steps_of(lines) == [40, 50, 60, 70, 80, 90, 100]
    assert lines[-1].startswith("step 100/100 100%") and "elapsed" in lines[-1]
    # One step a second: 1.0 steps/s and an ETA of exactly the steps left.
    assert all("1.0 steps/s" in l for l in lines[1:])
    assert etas_of(lines) == [50, 40, 30, 20, 10]
    assert all("d_loss 1.25" in l and "g_loss 0.5" in l for l in lines[1:])


def test_lines_also_come_every_few_seconds_on_a_slow_run():
    run, out = FakeRun(start=0, dt=2.0), io.StringIO()
    p = progress.RunProgress(0, 1000, lambda: run.step, mode="lines",
                             every_percent=50, every_seconds=5, stream=out,
                             clock=lambda: run.time)
    drive(p, run, 9)
    # No 50% boundary is crossed; a line each time 5 s have passed (every 3 steps).
    assert steps_of(out.getvalue().splitlines()) == [0, 3, 6, 9]
    assert "2.0 s/step" in out.getvalue().splitlines()[-1]  # slow rates read as s/step


def test_eta_decreases_and_the_first_step_is_not_timed():
    run, out = FakeRun(start=0, dt=0.5), io.StringIO()
    p = progress.RunProgress(0, 20, lambda: run.step, mode="lines",
                             every_percent=5, every_seconds=1e9, stream=out,
                             clock=lambda: run.time)
    p.on_train_begin()
    run.time += 30.0  # the first step traces the graph: slow
    run.advance()
    p.on_train_batch_end(0, {})
    assert p.rate() != p.rate()  # NaN: one step says nothing about the rate
    assert "ETA ?" in p.lines[-1]
    etas = []
    for _ in range(10):
        run.advance()
        p.on_train_batch_end(0, {})
        etas.append(p.eta())
    assert p.rate() == pytest.approx(2.0)  # the 30 s of tracing left out
    assert all(a > b for a, b in zip(etas, etas[1:]))
    assert etas[-1] == pytest.approx((20 - 11) / 2.0)


class Counter(keras.Model):
    """A model whose step counter is its only state, logging one value."""

    def __init__(self):
        super().__init__()
        self.step_counter = keras.Variable(0, dtype="int64", trainable=False)
        self.tracker = keras.metrics.Mean(name="value")

    @property
    def metrics(self):
        return [self.tracker]

    def train_step(self, data):
        self.step_counter.assign_add(1)
        self.tracker.update_state(tf.cast(self.step_counter, "float32"))
        return {"value": self.tracker.result()}


def fit_like_the_loop(model, start, total, every, cbs):
    model.step_counter.assign(start)
    ds = tf.data.Dataset.from_tensors(0.0).repeat()
    calls = fit_loop.epochs(start, total, every)
    for args in calls:
        model.fit(ds, callbacks=cbs, verbose=0, shuffle=False, **args)
    return calls


def test_one_bar_over_several_fit_calls_redrawn_in_place():
    model, out = Counter(), io.StringIO()
    model.compile(optimizer=None)
    clock = iter(range(10**6)).__next__  # a second per reading: every redraw shows
    p = progress.RunProgress(7, 45, lambda: int(model.step_counter.numpy()),
                             mode="bar", stream=out, clock=lambda: float(clock()))
    calls = fit_like_the_loop(model, 7, 45, 10, [p])
    assert len(calls) == 3  # 7->10, 10->40, 40->45: three fit calls, one bar
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")  # one line, ended once
    frames = [f for f in text.rstrip("\n").split("\r") if f]
    steps = [int(LINE.match(f).group(1)) for f in frames]
    assert steps[0] == 7 and steps[-1] == 45
    assert steps == sorted(steps)  # never restarts from zero
    assert all("/45" in f for f in frames)
    assert "#" * 3 in frames[-1] and "-|" not in frames[-1]  # a full bar at the end


def test_a_stopped_run_ends_its_display_at_the_stop():
    class StopAt(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if int(self.model.step_counter.numpy()) == 23:
                self.model.stop_training = True

    model, out = Counter(), io.StringIO()
    model.compile(optimizer=None)
    p = progress.RunProgress(0, 50, lambda: int(model.step_counter.numpy()),
                             mode="lines", every_percent=20, stream=out)
    ds = tf.data.Dataset.from_tensors(0.0).repeat()
    model.fit(ds, steps_per_epoch=10, epochs=5, verbose=0, shuffle=False,
              callbacks=[StopAt(), p])
    lines = out.getvalue().splitlines()
    assert steps_of(lines) == [0, 10, 20, 23]
    p.finish()  # fit_loop's finally: the line is not printed twice
    assert out.getvalue().splitlines() == lines
    timer = callbacks.StepTimer()
    timer.steps, timer.seconds = 22, 2.0
    text = progress.summary(p, timer, "/w", export_enabled=True)
    assert text.startswith("Stopped to step 23/50 (23 steps this run) in ")
    assert "11.0 steps/s inside the loop (22 steps timed)" in text
    assert "export" not in text  # not trained to the end: no export yet


def test_verbose_picks_the_display():
    assert progress.mode_for(0) == "off"
    assert progress.mode_for(1) == "bar"
    assert progress.mode_for(2) == "lines"
    # pytest's captured stdout is not a terminal: lines, as in a log file.
    assert progress.mode_for(None) == "lines"


def test_config_hparams_keeps_only_scalar_fields():
    import gan_ring8

    c = gan_ring8.get_config()
    h = callbacks.config_hparams(c)
    assert h["data.name"] == "ring8" and h["optim.g_lr"] == c.optim.g_lr
    assert h["train.mixed_precision"] is False and isinstance(h["train.steps"], int)
    assert "net.generator.hidden" not in h  # a tuple: text only
    assert all(isinstance(v, (str, bool, int, float)) for v in h.values())


# ------------------------------------------------- a real run, end to end --


def ring_config(steps):
    import gan_ring8

    c = gan_ring8.get_config()
    c.train.steps = steps
    c.train.checkpoint_every = 20
    c.train.sample_every = 0
    c.train.log_every = 50
    c.data.batch_size = 64
    return c


def events(workdir):
    acc = EventAccumulator(os.path.join(workdir, "tb"))
    acc.Reload()
    return acc


def scalar_steps(acc, tag):
    return sorted({e.step for e in acc.Tensors(tag)})


def test_a_run_prints_one_display_and_summary_and_logs_its_config(tmp_path, capsys):
    w = str(tmp_path / "run")
    trainer.run(ring_config(40), w)  # verbose=None, stdout not a terminal: lines
    out = capsys.readouterr().out
    lines = [l for l in out.splitlines() if LINE.match(l)]
    assert lines[0].startswith("step 0/40   0%") and "starting" in lines[0]
    assert lines[-1].startswith("step 40/40 100%")
    assert steps_of(lines) == sorted(steps_of(lines))
    assert "Epoch" not in out and "/step" not in out  # no Keras bar or epoch lines
    summary = [l for l in out.splitlines() if l.startswith("Trained to step")]
    assert len(summary) == 1 and summary[0].startswith(
        "Trained to step 40/40 (40 steps this run) in ")
    assert "steps/s inside the loop" in summary[0]
    for part in ("checkpoints", "tb", "export"):
        assert os.path.join(w, part) in summary[0]
    assert os.path.join(w, "samples") not in summary[0]  # sample_every=0

    acc = events(w)
    # Scalars from the first step although log_every (50) exceeds the run.
    assert scalar_steps(acc, "d_loss") == [1] and scalar_steps(acc, "g_loss") == [1]
    # The config as hyper-parameters ...
    content = acc.PluginTagToContent("hparams")["_hparams_/session_start_info"]
    info = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
    assert info.hparams["train.steps"].number_value == 40
    assert info.hparams["data.name"].string_value == "ring8"
    assert info.hparams["train.deterministic"].bool_value is False
    assert info.group_name == os.path.abspath(w)
    # ... and as text: the run's config.json, at the step the run began.
    (text,) = acc.Tensors("config")
    assert text.step == 0
    body = tf.make_ndarray(text.tensor_proto).item().decode()
    assert json.loads(textwrap.dedent(body)) == json.load(open(os.path.join(w, "config.json")))

    # A resume: the display starts at 40 of 60, scalars at its first step (41).
    trainer.run(ring_config(60), w, verbose=2)
    out = capsys.readouterr().out
    lines = [l for l in out.splitlines() if LINE.match(l)]
    assert lines[0].startswith("step 40/60  66%") and "resuming" in lines[0]
    assert lines[-1].startswith("step 60/60 100%")
    assert "Trained to step 60/60 (20 steps this run)" in out
    acc = events(w)
    assert scalar_steps(acc, "d_loss") == [1, 41, 50]
    assert sorted(e.step for e in acc.Tensors("config")) == [0, 40]
    resumed = [e for e in acc.Tensors("config") if e.step == 40][0]
    body = tf.make_ndarray(resumed.tensor_proto).item().decode()
    assert json.loads(textwrap.dedent(body))["train"]["steps"] == 60


def test_verbose_zero_prints_the_summary_only(tmp_path, capsys):
    trainer.run(ring_config(20), str(tmp_path / "quiet"), verbose=0)
    out = capsys.readouterr().out
    assert not [l for l in out.splitlines() if LINE.match(l)]
    assert "Trained to step 20/20 (20 steps this run)" in out


# ------------------------------------------------ the README's loss plot --


def write_scalars(logdir, points):
    writer = tf.summary.create_file_writer(logdir)
    with writer.as_default():
        for tag, step, value in points:
            tf.summary.scalar(tag, value, step=step)
    writer.flush()
    writer.close()


def test_read_scalars_keeps_the_last_write_of_a_step(tmp_path):
    from tfgen import plots

    d = str(tmp_path / "tb")
    write_scalars(d, [("d_loss", s, 1.0) for s in (1, 50, 100)] +
                  [("g_loss", s, 2.0) for s in (1, 50, 100)])
    # A resume from step 50 writes steps 51.. and 100 again.
    write_scalars(d, [("d_loss", 100, 0.5)])
    got = plots.read_scalars(d, ["g_loss", "d_loss"])
    assert list(got) == ["g_loss", "d_loss"]
    steps, values = got["d_loss"]
    assert steps.tolist() == [1, 50, 100] and values.tolist() == [1.0, 1.0, 0.5]
    with pytest.raises(KeyError, match="no scalar penalty; it has: d_loss, g_loss"):
        plots.read_scalars(d, ["penalty"])


def test_nice_ticks_are_round_and_cover_the_range():
    from tfgen import plots

    assert plots.nice_ticks(0.7, 1.3, 6) == [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
    assert plots.nice_ticks(0, 2500, 6) == [0, 500, 1000, 1500, 2000, 2500]
    assert plots.tick_labels([0.8, 1.0, 1.2]) == ["0.8", "1.0", "1.2"]
    assert plots.tick_labels([0.0, 50000, 100000]) == ["0", "50,000", "100,000"]


def test_the_plot_draws_each_series_where_its_values_are(tmp_path):
    import numpy as np
    from PIL import Image

    from tfgen import plots

    d, out = str(tmp_path / "tb"), str(tmp_path / "plot.png")
    write_scalars(d, [("high", s, 3.0) for s in range(0, 101, 10)] +
                  [("low", s, 1.0) for s in range(0, 101, 10)])
    assert plots.main([f"--logdir={d}", f"--out={out}", "--tags=high,low",
                       "--width=400", "--height=200"]) == 0
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert img.shape == (200, 400, 3)

    def row_of(colour):  # the row (below the legend) with most of that colour
        hit = (np.abs(img - colour).sum(-1) < 100)[25:].sum(1)
        assert hit.max() > 300  # a line across most of the 400 pixels
        return 25 + int(hit.argmax())

    high, low = row_of(plots.PALETTE[0]), row_of(plots.PALETTE[1])
    assert high < low  # 3.0 is drawn above 1.0
    # A tag the run does not have: one line naming the ones it has.
    assert plots.main([f"--logdir={d}", f"--out={out}", "--tags=nope"]) == 1
