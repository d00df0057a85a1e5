"""Exports never delete what is not an export, and survive being killed.

Most cases call tfgen.export directly on a tiny untrained generator; the
command line is run as a subprocess only where its own checks are the point.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tfgen import export, export_dir
from tfgen.networks.mlp import mlp_generator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable


def run(*args, timeout=300):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def error_line(proc):
    lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ""


def snapshot(root):
    """Every file and folder under ``root`` with the files' bytes."""
    out = {}
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        out[rel] = "dir"
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                out[os.path.join(rel, name)] = f.read()
    return out


def make_workdir(path):
    """A folder shaped like a tools/train.py --workdir (no real checkpoint)."""
    for sub in ("checkpoints", "tb", "samples"):
        os.makedirs(path / sub)
    (path / "config.json").write_text('{"method": "adversarial"}')
    (path / "checkpoints" / "ckpt-1.index").write_bytes(b"weights")
    (path / "tb" / "events.out.tfevents.1").write_bytes(b"events")
    (path / "samples" / "step_100.png").write_bytes(b"png")
    return path


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


@pytest.fixture(scope="module")
def generator():
    return mlp_generator(3, (2,))


def test_overwrite_replaces_only_a_previous_export(tmp_path, generator):
    work = make_workdir(tmp_path / "run")
    user = tmp_path / "mine"
    user.mkdir()
    (user / "notes.txt").write_text("not an export")
    (tmp_path / "file").write_text("a file")
    foreign = tmp_path / "foreign"  # a SavedModel, but not a tfgen export
    tf.saved_model.save(tf.Module(), str(foreign))
    before = snapshot(tmp_path)
    cases = {str(work): "training directory", str(tmp_path): "not part of an export",
             str(user): "notes.txt", str(tmp_path / "file"): "is a file",
             str(foreign): "not a tfgen export",
             str(work / "checkpoints"): "not part of an export"}
    for path, why in cases.items():
        with pytest.raises(export.UnsafeOverwriteError, match=why) as err:
            export.export_generator(generator, path, 3, overwrite=True)
        assert "--overwrite only replaces a previous tfgen export" in str(err.value)
    assert snapshot(tmp_path) == before

    # A real export (and an empty folder) are replaced, leaving nothing beside.
    path = str(tmp_path / "exports" / "e")
    export.export_generator(generator, path, 3, metadata={"version": 1})
    export.export_generator(generator, path, 3, metadata={"version": 2}, overwrite=True)
    assert export.read_metadata(path)["version"] == 2 and export.is_export(path)
    os.makedirs(tmp_path / "exports" / "empty")
    export.export_generator(generator, str(tmp_path / "exports" / "empty"), 3,
                            overwrite=True)
    assert sorted(os.listdir(tmp_path / "exports")) == ["e", "empty"]


def test_signature_declares_the_latent_width(tmp_path, generator):
    m = tf.saved_model.load(export.export_generator(generator, str(tmp_path / "e"), 3))
    z = np.ones((2, 3), np.float32)
    want = generator(z).numpy()
    np.testing.assert_allclose(m(z).numpy(), want, atol=1e-6)
    np.testing.assert_allclose(
        m.signatures["serving_default"](latents=tf.constant(z))["images"].numpy(),
        want, atol=1e-6)
    assert m.signatures["serving_default"].structured_input_signature[1][
        "latents"].shape.as_list() == [None, 3]
    assert m.sample(4, 0).shape == (4, 2)
    assert int(m.latent_dim.numpy()) == 3 and list(m.image_shape.numpy()) == [2]
    with pytest.raises((TypeError, ValueError), match=r"\(None, 3\)"):
        m(np.ones((2, 5), np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[\?,3\]"):
        m.signatures["serving_default"](latents=tf.ones((2, 5)))


def test_next_export_removes_only_its_own_stale_temporaries(tmp_path, generator):
    host, dead = export_dir._host_tag(), dead_pid()
    other_host = "0" * 8 if host != "0" * 8 else "1" * 8
    complete = export.export_generator(generator, str(tmp_path / "done"), 3)
    replaced = export.export_generator(generator, str(tmp_path / "x"), 3)
    ours = {  # what killed exports leave
        f".export-{host}-{dead}-partial": {"model/saved_model.pb.tmp3fa9": b"x",
                                           "model/variables/variables.index": b"x"},
        f".export-{host}-{dead}-empty": {},
        f".old-export-{host}-{dead}-empty": {},
    }
    kept = {  # anything not clearly ours, or still in use
        f".export-{host}-{dead}-user": {"notes.txt": b"mine"},
        f".export-{host}-{os.getppid()}-live": {},
        f".export-{other_host}-{dead}-elsewhere": {},
        ".export-handmade": {},
    }
    for name, files in {**ours, **kept}.items():
        os.makedirs(tmp_path / name)
        for rel, data in files.items():
            os.makedirs(os.path.dirname(tmp_path / name / rel), exist_ok=True)
            (tmp_path / name / rel).write_bytes(data)
    # A swap that completed before the kill: the replaced export is garbage.
    trash = tmp_path / f".old-export-{host}-{dead}-swapped"
    trash.mkdir()
    os.rename(replaced, trash / "done")
    export.export_generator(generator, str(tmp_path / "new"), 3)
    assert sorted(os.listdir(tmp_path)) == sorted(["done", "new", *kept])
    assert export.is_export(complete)


KILL_IN_THE_SWAP = """
import os, signal, sys
from tfgen import export, export_dir
from tfgen.networks.mlp import mlp_generator

rename = os.rename

def rename_then_die(src, dst):  # dies once the old export is moved aside
    rename(src, dst)
    if os.path.basename(os.path.dirname(dst)).startswith(".old-export-"):
        os.kill(os.getpid(), signal.SIGKILL)

os.rename = rename_then_die
export.export_generator(mlp_generator(3, (2,)), sys.argv[1], 3,
                        metadata={"version": 2}, overwrite=True)
"""


def test_kill_during_the_swap_keeps_the_previous_export(tmp_path, generator):
    path = str(tmp_path / "e")
    export.export_generator(generator, path, 3, metadata={"version": 1})
    p = run("-c", KILL_IN_THE_SWAP, path)
    assert p.returncode == -9, p.stderr[-2000:]
    left = sorted(os.listdir(tmp_path))  # the worst moment: the old one is aside
    assert len(left) == 2 and left[0].startswith(".export-"), left
    assert left[1].startswith(".old-export-") and not os.path.exists(path), left
    export.export_generator(generator, str(tmp_path / "other"), 3)
    assert sorted(os.listdir(tmp_path)) == ["e", "other"]
    assert export.read_metadata(path)["version"] == 1
    tf.saved_model.load(path)  # intact


def test_export_tool_refuses_a_workdir_and_a_user_folder(tmp_path):
    work = make_workdir(tmp_path / "run")
    user = tmp_path / "mine"
    user.mkdir()
    (user / "notes.txt").write_text("not an export")
    before = snapshot(tmp_path)
    p = run("tools/export.py", f"--workdir={work}", f"--out={work}", "--overwrite")
    assert p.returncode == 1 and error_line(p).startswith("error: "), p.stderr[-2000:]
    assert "training directory" in error_line(p) and f"--out={work}/export" in error_line(p)
    p = run("tools/export.py", f"--workdir={work}", f"--out={user}", "--overwrite")
    assert p.returncode == 1 and error_line(p).startswith("error: "), p.stderr[-2000:]
    assert "refusing to overwrite" in error_line(p) and "notes.txt" in error_line(p)
    assert "Traceback" not in p.stderr
    assert snapshot(tmp_path) == before
