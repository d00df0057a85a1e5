"""The trainer keeps a user's run: NaN guard, resume rules, lock, signals, bits.

Most tests call ``tfgen.trainer.run`` in-process on the ring8 GAN (a few
seconds each); the command-line behaviour is in ``test_cli_validation.py``.
"""

import glob
import json
import os
import signal
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import callbacks, checkpoints, cli, fit_loop, resume, testing, trainer
from tfgen import config as config_lib
from tfgen import workdir as workdir_lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "configs"))


def ring_config(steps=40, every=20, **changes):
    import gan_ring8

    c = gan_ring8.get_config()
    c.train.steps = steps
    c.train.checkpoint_every = every
    c.train.sample_every = 0
    c.data.batch_size = 64
    for key, value in changes.items():
        node = c
        *path, last = key.split(".")
        for p in path:
            node = node[p]
        node[last] = value
    return c


ckpt_steps = testing.checkpoint_steps
ckpt_values = testing.checkpoint_values


def all_finite_on_disk(path):
    return all(np.isfinite(v).all() for v in ckpt_values(path).values()
               if np.issubdtype(np.asarray(v).dtype, np.floating))


# --------------------------------------------------------------- NaN guard --
def test_divergence_keeps_the_good_checkpoints_and_a_rerun_restores_one(tmp_path, capsys):
    w = str(tmp_path / "w")
    trainer.run(ring_config(steps=40, every=20), w, verbose=0)
    assert ckpt_steps(w) == [20, 40]
    # A learning rate that diverges at once; the resume applies it (it used
    # to be silently replaced by the checkpoint's rate).
    bad = ring_config(steps=200, every=20, **{"optim.g_lr": 1e30, "optim.d_lr": 1e30})
    with pytest.raises(trainer.TrainingError) as err:
        trainer.run(bad, w, verbose=0)
    msg = str(err.value)
    assert "became" in msg and "ckpt-40" in msg and "resume from step 40" in msg
    assert ckpt_steps(w) == [20, 40], "a checkpoint was written from the bad state"
    latest = tf.train.latest_checkpoint(os.path.join(w, "checkpoints"))
    assert latest.endswith("ckpt-40") and all_finite_on_disk(latest)
    assert not os.path.exists(os.path.join(w, ".lock"))
    export_step = json.load(open(os.path.join(w, "export", "tfgen.json")))["step"]
    assert export_step == 40, "the export was replaced from the bad state"
    # The advice works: a rerun with a sane rate resumes from step 40.
    capsys.readouterr()
    model = trainer.run(ring_config(steps=60, every=20), w, verbose=0)
    assert "Resuming from step 40" in capsys.readouterr().out
    assert int(model.step_counter.numpy()) == 60 and checkpoints.all_finite(model)


def test_non_finite_weights_are_never_checkpointed(tmp_path):
    """A finite loss with NaN weights (e.g. an unused NaN slot) still stops."""
    w = str(tmp_path / "w")
    model = trainer.run(ring_config(steps=20, every=20), w, verbose=0)
    mgr = checkpoints.manager(model, w)
    guard = callbacks.StopOnNonFinite(lambda: 99)
    saver = callbacks.CheckpointEvery(mgr, lambda: 99, guard=guard)
    saver.set_model(model)
    model.generator.weights[0].assign(
        np.full(model.generator.weights[0].shape, np.nan, np.float32))
    assert saver.save() is None and guard.failure is not None
    assert ckpt_steps(w) == [20]


# ------------------------------------------------------------ resume rules --
def test_resume_applies_new_learning_rates_and_logs_them(tmp_path, capsys):
    w = str(tmp_path / "w")
    trainer.run(ring_config(steps=20, every=20), w, verbose=0)
    capsys.readouterr()
    model = trainer.run(ring_config(steps=40, every=20, **{"optim.g_lr": 1.25e-4}), w,
                        verbose=0)
    out = capsys.readouterr().out
    assert "optim.g_lr 0.001 -> 0.000125" in out and "train.steps 20 -> 40" in out
    assert float(model.optimizer_for("generator").learning_rate.numpy()) == pytest.approx(1.25e-4)
    assert float(model.optimizer_for("discriminator").learning_rate.numpy()) == pytest.approx(1e-3)
    log = open(os.path.join(w, "log.txt")).read()
    assert "changed on resume: optim.g_lr 0.001 -> 0.000125" in log
    # tools/export.py's restore sees the same rate as config.json.
    restored, config = trainer.restore(w)
    assert float(restored.optimizer_for("generator").learning_rate.numpy()) == \
        pytest.approx(config.optim.g_lr)


def test_resume_refuses_other_fields_naming_each_old_and_new_value(tmp_path):
    w = str(tmp_path / "w")
    trainer.run(ring_config(steps=20, every=20), w, verbose=0)
    before = open(os.path.join(w, "config.json")).read()
    bad = ring_config(steps=40, every=20, seed=3, **{"model.loss": "hinge"})
    with pytest.raises(trainer.TrainingError) as err:
        trainer.run(bad, w, verbose=0)
    msg = str(err.value)
    assert "model.loss 'non_saturating' -> 'hinge'" in msg and "seed 0 -> 3" in msg
    assert "--overwrite" in msg and "new --workdir" in msg and "\n" not in msg
    assert open(os.path.join(w, "config.json")).read() == before
    assert ckpt_steps(w) == [20]


def test_data_dir_spelling_is_not_the_data(tmp_path, monkeypatch, shared_data):
    a = resume.data_source("mnist", shared_data + "/", 0)
    b = resume.data_source("mnist", os.path.join(shared_data, "mnist"), 0)
    monkeypatch.setenv("TFGEN_DATA_DIR", shared_data)
    c = resume.data_source("mnist", None, 0)
    assert a == b == c and a["files"] is not None
    assert resume.data_differs(a, resume.data_source("mnist", None, 32))
    assert resume.data_differs(a, resume.data_source("fashion_mnist", shared_data, 0))
    # A workdir written with the flag accepts the same files through the env.
    config = ring_config()
    config.data.name = "mnist"
    config.data.data_dir = shared_data + "/"
    (tmp_path / "config.json").write_text(config_lib.to_json(config))
    new = ring_config()
    new.data.name = "mnist"
    new.data.data_dir = ""
    assert trainer._check_resume(str(tmp_path), new, c) == {
        "data.data_dir": (shared_data + "/", "")}
    other = resume.data_source("mnist", str(tmp_path / "elsewhere"), 0)
    with pytest.raises(trainer.TrainingError, match="other data"):
        trainer._check_resume(str(tmp_path), new, other)


def test_folder_names_compare_by_real_path(tmp_path):
    (tmp_path / "imgs").mkdir()
    a = resume.data_source(f"folder:{tmp_path}/imgs/", None, 0)
    b = resume.data_source(f"folder:{tmp_path}/./imgs", None, 0)
    assert a == b


def test_old_run_without_new_config_keys_resumes(tmp_path):
    import coopnets_ring8

    config = coopnets_ring8.get_config()
    old = json.loads(config_lib.to_json(config))
    del old["model"]["clip_revised"]  # a key this library version added
    allowed, refused = resume.compare(config_lib.from_json(json.dumps(old)), config)
    assert refused == {} and allowed == {}
    config.model.clip_revised = True
    _, refused = resume.compare(config_lib.from_json(json.dumps(old)), config)
    assert refused == {"model.clip_revised": (False, True)}


def test_a_run_that_failed_before_its_first_checkpoint_does_not_bind(tmp_path):
    w = str(tmp_path / "w")
    bad = ring_config(steps=40, every=40, **{"optim.g_lr": 1e30, "optim.d_lr": 1e30})
    with pytest.raises(trainer.TrainingError, match="no checkpoint was saved"):
        trainer.run(bad, w, verbose=0)
    assert ckpt_steps(w) == [] and not os.path.exists(os.path.join(w, ".lock"))
    fixed = ring_config(steps=20, every=20, **{"model.loss": "hinge"})
    model = trainer.run(fixed, w, verbose=0)  # a different game: not refused
    assert int(model.step_counter.numpy()) == 20


# ------------------------------------------------- corrupt checkpoints, lock --
def test_corrupt_latest_checkpoint_falls_back_with_one_warning(tmp_path, capsys):
    w = str(tmp_path / "w")
    trainer.run(ring_config(steps=40, every=20), w, verbose=0)
    data_file = glob.glob(os.path.join(w, "checkpoints", "ckpt-40.data-*"))[0]
    with open(data_file, "r+b") as f:
        f.truncate(os.path.getsize(data_file) // 2)
    os.makedirs(os.path.join(w, "checkpoints", "ckpt-60_temp"))  # a killed save
    capsys.readouterr()
    model = trainer.run(ring_config(steps=60, every=20), w, verbose=0)
    cap = capsys.readouterr()
    warnings = [l for l in cap.err.splitlines() if "ckpt-40" in l]
    assert len(warnings) == 1 and warnings[0].startswith("warning: skipping")
    assert "Resuming from step 20" in cap.out
    assert int(model.step_counter.numpy()) == 60
    assert not os.path.exists(os.path.join(w, "checkpoints", "ckpt-60_temp"))


def test_lock_refuses_a_live_holder_and_takes_over_a_dead_one(tmp_path, capsys):
    w = str(tmp_path / "w")
    os.makedirs(w)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = workdir_lib.Lock(w)
        with open(lock.path, "w") as f:
            json.dump(dict(pid=live.pid, start=workdir_lib._process_start(live.pid),
                           host=__import__("socket").gethostname(), since="now"), f)
        with pytest.raises(workdir_lib.WorkdirBusyError, match=f"PID {live.pid}"):
            trainer.run(ring_config(steps=20, every=20), w, verbose=0)
        assert os.listdir(w) == [".lock"], "a refused run wrote into the workdir"
    finally:
        live.kill()
        live.wait()
    # The holder is gone (as after a SIGKILL): its lock is stale.
    model = trainer.run(ring_config(steps=20, every=20), w, verbose=0)
    assert "stale lock" in capsys.readouterr().err
    assert int(model.step_counter.numpy()) == 20
    assert not os.path.exists(os.path.join(w, ".lock"))


# ------------------------------------------------------------------ signals --
@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_stops_after_the_step_and_saves_a_checkpoint(tmp_path, monkeypatch,
                                                            signum, code):
    class SendSignal(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):  # "during" step 27
            if int(self.model.step_counter.numpy()) == 26:
                os.kill(os.getpid(), signum)

    monkeypatch.setattr(fit_loop, "extra_callbacks", lambda *a: (SendSignal(),))
    w = str(tmp_path / "w")
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with pytest.raises(cli.Interrupted) as err:
        trainer.run(ring_config(steps=100, every=20), w, verbose=0)
    assert err.value.exit_code == code
    assert str(err.value) == (
        f"interrupted ({signal.Signals(signum).name}) at step 27; rerun the same "
        "command to resume from step 27")
    assert ckpt_steps(w) == [20, 27]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers
    assert not os.path.exists(os.path.join(w, "export"))


# ------------------------------------------------------------ reproducibility --
def _export_outputs(path):
    m = tf.saved_model.load(path)
    z = tf.random.stateless_normal([16, int(m.latent_dim)], [1, 2])
    return m(z).numpy()


@pytest.mark.parametrize("config_name,steps,every", [("gan_ring8", 40, 20),
                                                     ("dcgan_mnist5k", 6, 3)])
def test_same_seed_same_bits_and_kill_resume_equals_uninterrupted(tmp_path, config_name,
                                                                  steps, every):
    import importlib

    def config(n):
        c = importlib.import_module(config_name).get_config()
        c.train.steps, c.train.checkpoint_every, c.train.sample_every = n, every, 0
        if config_name == "dcgan_mnist5k":
            c.data.batch_size = 16
            c.net.generator.width = c.net.discriminator.width = 8
        return c

    a, b, r = (str(tmp_path / n) for n in ("a", "b", "resumed"))
    trainer.run(config(steps), a, verbose=0)
    trainer.run(config(steps), b, verbose=0)
    trainer.run(config(every), r, verbose=0)  # "killed" after its checkpoint
    trainer.run(config(steps), r, verbose=0)
    va, vb, vr = (ckpt_values(os.path.join(d, "checkpoints", f"ckpt-{steps}"))
                  for d in (a, b, r))
    assert va.keys() == vb.keys() == vr.keys()
    for k in va:
        assert np.array_equal(va[k], vb[k]), f"{k} differs between identical runs"
        assert np.array_equal(va[k], vr[k]), f"{k} differs after kill and resume"
    ea = _export_outputs(os.path.join(a, "export"))
    assert np.array_equal(ea, _export_outputs(os.path.join(b, "export")))
    assert np.array_equal(ea, _export_outputs(os.path.join(r, "export")))
    other = config(steps)
    other.seed = 1
    c = str(tmp_path / "c")
    trainer.run(other, c, verbose=0)
    vc = ckpt_values(os.path.join(c, "checkpoints", f"ckpt-{steps}"))
    assert any(not np.array_equal(va[k], vc[k]) for k in va), "the seed is ignored"


def test_a_resume_off_the_checkpoint_grid_and_a_short_last_epoch_keep_the_bits(tmp_path):
    # A signal saves a checkpoint between checkpoint steps (here 13); the
    # resume then runs a short epoch to 20 before full ones, and 45 steps of
    # 20 end with a short epoch of 5. Each fit call must read the stream from
    # its own first step: one stream for all calls repeated the first call's
    # batches (the bits then differed from the uninterrupted run).
    ref, cut, tail = (str(tmp_path / n) for n in ("ref", "cut", "tail"))
    trainer.run(ring_config(steps=45, every=15), ref, verbose=0)  # calls 15, 15, 15
    trainer.run(ring_config(steps=13, every=20), cut, verbose=0)
    trainer.run(ring_config(steps=45, every=20), cut, verbose=0)  # calls 7, 20, 5
    trainer.run(ring_config(steps=45, every=20), tail, verbose=0)  # calls 20, 20, 5
    assert ckpt_steps(cut) == [20, 40, 45] and ckpt_steps(tail) == [20, 40, 45]
    va = ckpt_values(os.path.join(ref, "checkpoints", "ckpt-45"), save_counter=False)
    for other in (cut, tail):
        vb = ckpt_values(os.path.join(other, "checkpoints", "ckpt-45"), save_counter=False)
        assert va.keys() == vb.keys()
        for k in va:
            assert np.array_equal(va[k], vb[k]), f"{k} differs in {other}"


# ---------------------------------------------------------------- overwrite --
def test_overwrite_discards_only_the_runs_own_files(tmp_path, capsys):
    w = tmp_path / "w"
    trainer.run(ring_config(steps=40, every=20), str(w), verbose=0)
    (w / "notes.txt").write_text("mine")
    (w / "checkpoints" / "README").write_text("mine too")
    capsys.readouterr()
    model = trainer.run(ring_config(steps=20, every=20, seed=5), str(w), restart=True,
                        verbose=0)
    assert "Discarded the previous run" in capsys.readouterr().out
    assert int(model.step_counter.numpy()) == 20 and ckpt_steps(w) == [20]
    assert (w / "notes.txt").read_text() == "mine"
    assert (w / "checkpoints" / "README").read_text() == "mine too"
    assert json.loads((w / "config.json").read_text())["seed"] == 5


def test_overwrite_retrains_a_finished_run_of_the_same_config(tmp_path, capsys):
    w = tmp_path / "w"
    trainer.run(ring_config(steps=20, every=20), str(w), verbose=0)
    capsys.readouterr()
    trainer.run(ring_config(steps=20, every=20), str(w), restart=True, verbose=0)
    out = capsys.readouterr().out
    assert "Discarded the previous run" in out and "Already trained" not in out
    assert ckpt_steps(w) == [20]


def test_a_finished_run_rerun_writes_nothing(tmp_path, capsys):
    w = tmp_path / "w"
    trainer.run(ring_config(steps=20, every=20), str(w), verbose=0)
    before = {p: os.path.getmtime(p) for p in glob.glob(str(w / "**"), recursive=True)}
    capsys.readouterr()
    model = trainer.run(ring_config(steps=20, every=20), str(w), verbose=0)
    assert "Already trained to step 20" in capsys.readouterr().out
    assert int(model.step_counter.numpy()) == 20
    after = {p: os.path.getmtime(p) for p in glob.glob(str(w / "**"), recursive=True)}
    assert after == before  # not even the lock: a read-only workdir works


def test_a_full_disk_during_a_checkpoint_is_one_line(tmp_path, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tf.train.CheckpointManager, "save", full)
    w = str(tmp_path / "w")
    with pytest.raises(callbacks.CheckpointError) as err:
        trainer.run(ring_config(steps=20, every=20), w, verbose=0)
    msg = str(err.value)
    assert "No space left on device" in msg and "free space" in msg and "\n" not in msg
    assert isinstance(err.value, cli.USER_ERRORS)  # printed as one line by the tools
    assert not os.path.exists(os.path.join(w, ".lock"))


def test_periodic_fid_without_its_weights_fails_before_training(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path / "empty_cache"))
    c = ring_config(steps=20, every=20)
    c.data.name = "digits"  # no project classifier: kid falls back to Inception
    config_lib.set_network(c, "generator", "dcgan_generator")
    config_lib.set_network(c, "discriminator", "dcgan_discriminator")
    c.eval.every, c.eval.metrics = 10, "kid"
    with pytest.raises(FileNotFoundError, match="make fid"):
        trainer.run(c, str(tmp_path / "w"), verbose=0)
    assert not (tmp_path / "w").exists()
