"""The command-line tools as a user runs them: real subprocesses."""

import glob
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable


def run(*args, timeout=300, env=None):
    e = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **(env or {}))
    return subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=e)


def train_args(workdir, *overrides, config="configs/gan_ring8.py"):
    return ["tools/train.py", f"--config={config}", f"--workdir={workdir}", *overrides]


def error_line(proc):
    lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ""


def test_unknown_config_key_lists_valid_keys(tmp_path):
    p = run(*train_args(tmp_path / "w", "--config.train.stepz=5"))
    assert p.returncode != 0
    assert "stepz" in p.stderr and "steps" in p.stderr  # names the key and the valid ones
    assert not (tmp_path / "w").exists()


def test_unknown_dataset_is_one_line_error(tmp_path):
    p = run(*train_args(tmp_path / "w", "--config.data.name=mnistt"))
    assert p.returncode == 1
    assert error_line(p).startswith("error: ") and "mnist" in error_line(p)
    assert "Traceback" not in p.stderr


def test_missing_data_files_name_the_fix(tmp_path):
    p = run(*train_args(tmp_path / "w", "--config.data.name=mnist",
                        f"--config.data.data_dir={tmp_path}/nothing"),
            env={"TFGEN_DATA_DIR": ""})
    assert p.returncode == 1
    line = error_line(p)
    assert "train-images-idx3-ubyte.gz" in line and "Traceback" not in p.stderr


def test_steps_off_the_checkpoint_grid_end_with_a_short_epoch(tmp_path):
    w = tmp_path / "w"
    p = run(*train_args(w, "--config.train.steps=7", "--config.train.checkpoint_every=3",
                        "--config.data.batch_size=32"))
    assert p.returncode == 0, p.stderr[-2000:]
    names = os.listdir(w / "checkpoints")
    assert {"ckpt-6.index", "ckpt-7.index"} <= set(names), names
    assert os.path.isfile(w / "export" / "saved_model.pb")
    meta = open(w / "export" / "tfgen.json").read()
    assert '"step": 7' in meta


@pytest.mark.parametrize("start,total,every,want", [
    (0, 6, 3, [(3, 2)]),
    (0, 7, 3, [(3, 2), (1, 1)]),
    (0, 2, 5, [(2, 1)]),
    (7, 10, 3, [(2, 1), (1, 1)]),
    (7, 14, 3, [(2, 1), (3, 4), (2, 1)]),
    (6, 6, 3, []),
])
def test_epoch_plan_covers_exactly_the_remaining_steps(start, total, every, want):
    from tfgen.fit_loop import epochs as _epochs
    calls = _epochs(start, total, every)
    got = [(c["steps_per_epoch"], c["epochs"]) for c in calls]
    assert got == want
    done = sum(c["steps_per_epoch"] * (c["epochs"] - c.get("initial_epoch", 0))
               for c in calls)
    assert done == total - start


def test_sample_from_missing_export_fails_clearly(tmp_path):
    p = run("tools/sample.py", f"--model={tmp_path}/none", f"--out={tmp_path}/g.png")
    assert p.returncode == 1 and "saved_model.pb" in error_line(p)
    assert not (tmp_path / "g.png").exists()


@pytest.mark.slow
def test_train_sample_export_and_overwrite_protection(tmp_path):
    w = tmp_path / "w"
    p = run(*train_args(w, "--config.train.steps=100", "--config.train.checkpoint_every=50",
                        "--config.train.sample_every=50", "--config.eval.every=50",
                        "--config.eval.metrics=modes", "--config.eval.num_samples=500"))
    assert p.returncode == 0, p.stderr[-2000:]
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    events = EventAccumulator(str(w / "tb"))
    events.Reload()
    assert "eval/modes/modes_covered" in events.Tags()["tensors"]  # periodic evaluation
    assert "d_loss" in events.Tags()["tensors"] and "samples" in events.Tags()["tensors"]
    assert (w / "export" / "saved_model.pb").exists()
    assert len(glob.glob(str(w / "samples" / "*.png"))) == 2
    assert glob.glob(str(w / "tb" / "events.out.tfevents.*"))
    # Sampling: PNG and NPZ, reproducible by seed.
    for fmt in ("png", "npz"):
        p = run("tools/sample.py", f"--model={w}/export", "--num=16",
                f"--out={tmp_path}/s.{fmt}", f"--format={fmt}", "--seed=3")
        assert p.returncode == 0, p.stderr[-2000:]
    x = np.load(tmp_path / "s.npz")["images"]
    assert x.shape == (16, 2)
    p = run("tools/sample.py", f"--model={w}/export", "--num=5", "--interpolate",
            f"--out={tmp_path}/walk.npz", "--format=npz")
    assert p.returncode == 0 and np.load(tmp_path / "walk.npz")["images"].shape == (5, 2)
    # tools/export.py refuses an existing path, then rebuilds it from the checkpoint.
    p = run("tools/export.py", f"--workdir={w}")
    assert p.returncode == 1 and "--overwrite" in error_line(p)
    p = run("tools/export.py", f"--workdir={w}", f"--out={tmp_path}/e2")
    assert p.returncode == 0, p.stderr[-2000:]
    import tensorflow as tf
    m1, m2 = tf.saved_model.load(str(w / "export")), tf.saved_model.load(str(tmp_path / "e2"))
    a, b = m1.sample(8, 1).numpy(), m2.sample(8, 1).numpy()
    np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.slow
def test_kill_and_resume_finishes_with_the_right_steps(tmp_path):
    w = str(tmp_path / "w")
    args = train_args(w, "--config.train.steps=4000", "--config.train.checkpoint_every=200",
                      "--config.train.sample_every=0", "--config.export.enabled=false")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.Popen([PY, *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait for a *complete* checkpoint: tf.train writes ckpt-N.index before it
    # atomically replaces the "checkpoint" state file, and a kill between the
    # two leaves no restorable checkpoint yet (the resume would rightly start
    # from 0, but this test wants a mid-way kill).
    state = os.path.join(w, "checkpoints", "checkpoint")
    deadline = time.time() + 240
    while time.time() < deadline and not os.path.exists(state):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    import tensorflow as tf
    latest = tf.train.latest_checkpoint(os.path.join(w, "checkpoints"))
    assert latest, "no complete checkpoint before the kill"
    saved = int(latest.rsplit("-", 1)[1])
    assert 0 < saved < 4000, f"run was not killed mid-way: {saved}"
    p = run(*args)
    assert p.returncode == 0, p.stderr[-2000:]
    assert f"Resuming from step {saved}" in p.stdout
    from tfgen import testing, trainer

    assert testing.checkpoint_steps(w)[-1] == 4000
    # The restored counter continued, so the final step is exactly 4000.
    model, _ = trainer.restore(w)
    assert int(model.step_counter.numpy()) == 4000
    assert int(model.optimizer_for("generator").iterations.numpy()) == 4000


def test_scalar_logger_writes_per_interval_means(tmp_path):
    import keras
    import tensorflow as tf
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from tfgen import callbacks

    class Counter(keras.Model):  # tracks 1, 2, 3, ... at steps 1, 2, 3, ...
        def __init__(self):
            super().__init__()
            self.step = keras.Variable(0.0, trainable=False)
            self.tracker = keras.metrics.Mean(name="value")

        @property
        def metrics(self):
            return [self.tracker]

        def train_step(self, data):
            self.step.assign_add(1.0)
            self.tracker.update_state(self.step)
            return {"value": self.tracker.result()}

    for every, expected in ((1, {k: float(k) for k in range(1, 9)}),
                            (2, {2: 1.5, 4: 3.5, 6: 5.5, 8: 7.5}),
                            (3, {3: 2.0, 6: 5.5})):  # the epoch reset at step 4
        m = Counter()
        m.compile(optimizer=None)
        writer = tf.summary.create_file_writer(str(tmp_path / f"tb{every}"))
        log = callbacks.ScalarLogger(writer, every, lambda: int(m.step.numpy()))
        hist = m.fit(tf.data.Dataset.from_tensors(0.0).repeat(), steps_per_epoch=4,
                     epochs=2, verbose=0, callbacks=[log]).history
        assert hist["value"] == pytest.approx([2.5, 6.5])  # fit's running means untouched
        writer.flush()
        acc = EventAccumulator(str(tmp_path / f"tb{every}"))
        acc.Reload()
        got = {e.step: float(tf.make_ndarray(e.tensor_proto))
               for e in acc.Tensors("value")}
        assert got == pytest.approx(expected)
