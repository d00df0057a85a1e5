"""Bad input to tools/train.py: one line on stderr, non-zero exit, nothing written.

Each case used to give a traceback, a process abort (oneDNN on a zero-width
latent) or an error only after training. The runs are started side by side
to keep the test short; none of them gets as far as training.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CASES = {
    "latent": (["--config.net.latent_dim=0"], "net.latent_dim must be >= 1"),
    "replicas": (["--config.train.cpu_replicas=3"], "does not split over train.cpu_replicas=3"),
    "metrics": (["--config.eval.every=10", "--config.eval.metrics=bogus"],
                "unknown metrics ['bogus']"),
    "config": (["--config=configs/no_such_config.py"], "config file configs/no_such_config.py not found"),
    "autotune": (["--config.train.data_autotune=sometimes"], "data_autotune must be auto"),
}


def test_bad_training_input_is_one_line_before_anything_is_written(tmp_path):
    env = dict(os.environ)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the tool must quiet TensorFlow itself
    procs = {}
    for name, (args, _) in CASES.items():
        config = [] if any(a.startswith("--config=") for a in args) else [
            "--config=configs/gan_ring8.py"]
        procs[name] = subprocess.Popen(
            [sys.executable, "tools/train.py", *config, f"--workdir={tmp_path / name}", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # A workdir that is a file.
    (tmp_path / "file").write_text("not a folder")
    procs["file"] = subprocess.Popen(
        [sys.executable, "tools/train.py", "--config=configs/gan_ring8.py",
         f"--workdir={tmp_path / 'file'}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    expected = dict({k: v[1] for k, v in CASES.items()}, file="is a file, not a folder")
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=240)
        lines = [l for l in err.splitlines() if l.strip()]
        assert proc.returncode == 1, (name, err[-2000:])
        assert len(lines) == 1 and lines[0].startswith("error: "), (name, err[-2000:])
        assert expected[name] in lines[0], (name, lines[0])
        if name != "file":
            assert not (tmp_path / name).exists(), f"{name}: the workdir was created"
    assert (tmp_path / "file").read_text() == "not a folder"


def test_verbose_shows_tensorflows_start_up_lines(tmp_path):
    env = dict(os.environ)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    p = subprocess.run(
        [sys.executable, "tools/train.py", "--config=configs/gan_ring8.py", "--verbose",
         f"--workdir={tmp_path / 'w'}", "--config.net.latent_dim=0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert p.returncode == 1
    assert p.stderr.strip().splitlines()[-1].startswith("error: net.latent_dim")
    assert len(p.stderr.strip().splitlines()) > 1  # TensorFlow's own lines


def test_sigint_is_one_line_with_the_step_to_resume_from(tmp_path):
    import signal
    import time

    w = tmp_path / "w"
    proc = subprocess.Popen(
        [sys.executable, "tools/train.py", "--config=configs/gan_ring8.py", f"--workdir={w}",
         "--config.train.steps=100000", "--config.train.checkpoint_every=100",
         "--config.train.sample_every=0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state = w / "checkpoints" / "checkpoint"
    deadline = time.time() + 240
    while time.time() < deadline and not state.exists():
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    lines = [l for l in err.splitlines() if l.strip()]
    assert proc.returncode == 130, err[-2000:]
    assert len(lines) == 1 and lines[0].startswith("interrupted (SIGINT) at step "), err[-2000:]
    step = int(lines[0].split("at step ")[1].split(";")[0])
    assert lines[0].endswith(f"resume from step {step}") and step >= 100
    assert (w / "checkpoints" / f"ckpt-{step}.index").exists()
    assert not (w / ".lock").exists()


def test_a_workdir_that_cannot_be_written_is_one_line(tmp_path, monkeypatch):
    from tfgen import workdir

    # Tests run as root, which chmod cannot stop; pretend the folder is read-only.
    monkeypatch.setattr(workdir.os, "access", lambda path, mode: False)
    try:
        workdir.prepare(str(tmp_path))
    except PermissionError as err:
        assert "is not writable" in str(err) and "another --workdir" in str(err)
    else:
        raise AssertionError("a read-only workdir was accepted")
