"""tools/sample.py and tools/evaluate.py on bad input: one line, nothing written.

Each process importing TensorFlow costs seconds, so most cases go through
``run_cases``: one subprocess imports a tool once and calls its (wrapped)
``main`` once per argument list, the way ``absl.app.run`` would. A real
subprocess checks the whole command line once per tool.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tfgen import evaluation, export, sampling
from tfgen.networks.dcgan import dcgan_generator
from tfgen.networks.mlp import mlp_generator
from tfgen.testing import run_tool_cases

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable



def run(*args, timeout=300):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def run_cases(tool, cases):
    """Runs ``tool``'s main once per argument list in one subprocess."""
    return run_tool_cases(tool, cases, ROOT)


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ""


def assert_one_line_error(result, *fragments):
    err = result["stderr"]
    assert result["code"] not in (0, None, "traceback"), err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    line = last_line(err)
    assert line.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in line, line


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """A 28×28 export said to be trained on mnist, a 2-D one on grid25."""
    root = tmp_path_factory.mktemp("exports")
    image = export.export_generator(dcgan_generator(8, (28, 28, 1), width=8),
                                    str(root / "image"), 8, metadata={"dataset": "mnist"})
    points = export.export_generator(mlp_generator(2, (2,)), str(root / "points"), 2,
                                     metadata={"dataset": "grid25"})
    foreign = str(root / "foreign")
    tf.saved_model.save(tf.Module(), foreign)
    truncated = str(root / "truncated")
    tf.saved_model.save(tf.Module(), truncated)  # same files, then cut in half
    pb = os.path.join(truncated, "saved_model.pb")
    data = open(pb, "rb").read()
    with open(pb, "wb") as f:
        f.write(data[:len(data) // 2])
    with open(os.path.join(truncated, export.METADATA_FILE), "w") as f:
        json.dump({"format": "tfgen-generator-v1"}, f)
    return {"image": image, "points": points, "foreign": foreign, "truncated": truncated}


def test_sample_rejects_bad_requests_in_one_line(tmp_path, exports):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.npz").write_bytes(b"keep")
    (out / "a_dir.png").mkdir()
    m = f"--model={exports['points']}"
    cases = [  # (arguments, fragments of the error line)
        ([m, "--num=4294967360", f"--out={out}/s.npz"], ["--num", "2,147,483,647"]),
        ([m, "--num=3000000000", f"--out={out}/s.npz"], ["--num", "3,000,000,000"]),
        ([m, "--num=0", f"--out={out}/s.npz"], ["--num"]),
        ([m, "--num=100001", f"--out={out}/s.png"], ["one PNG", ".npz"]),
        ([f"--model={exports['image']}", "--num=2147483647", f"--out={out}/s.npz"],
         ["available memory"]),
        ([m, "--seed=-1", f"--out={out}/s.npz"], ["--seed", "2**64"]),
        ([m, f"--seed={2**64}", f"--out={out}/s.npz"], ["--seed"]),
        ([m, "--interpolate", "--seed2=-3", f"--out={out}/s.npz"], ["--seed2"]),
        ([m, "--format=npz", f"--out={out}/s.png"], ["--format=npz", f"{out}/s.npz"]),
        ([m, f"--out={out}/s.jpg"], [".png or .npz"]),
        ([m, f"--out={out}/a_dir.png"], ["is a directory"]),
        ([m, f"--out={out}/old.npz"], ["--overwrite"]),
        ([f"--model={exports['foreign']}", f"--out={out}/s.npz"],
         ["not a tfgen generator export"]),
        ([f"--model={exports['truncated']}", f"--out={out}/s.npz"],
         ["truncated or corrupt"]),
    ]
    results = run_cases("tools/sample.py", [args for args, _ in cases])
    for (args, fragments), result in zip(cases, results):
        assert_one_line_error(result, *fragments)
    assert sorted(os.listdir(out)) == ["a_dir.png", "old.npz"]  # nothing written
    assert (out / "old.npz").read_bytes() == b"keep"


def test_sample_writes_exactly_the_named_file(tmp_path, exports):
    big = 2**32 + 5  # TensorFlow's int32 would wrap it to 5
    out = tmp_path / "s.npz"
    p = run("tools/sample.py", f"--model={exports['points']}", "--num=6", f"--seed={big}",
            f"--out={out}")
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.strip().splitlines()[-1] == f"Wrote 6 samples to {out}"
    assert os.listdir(tmp_path) == ["s.npz"]  # no temporary beside it
    m = export.load_generator(exports["points"])
    got = np.load(out)["images"]
    np.testing.assert_allclose(got, sampling.draw(m, 6, big), atol=1e-6)
    assert not np.allclose(got, sampling.draw(m, 6, 5))


def test_draw_matches_the_exports_own_sample(tmp_path, exports):
    m = export.load_generator(exports["image"])
    np.testing.assert_allclose(sampling.draw(m, 7, 3, batch_size=3),
                               m.sample(7, 3).numpy(), atol=1e-6)
    tril = np.array([[1.0, 0.0], [0.5, 2.0]], np.float32)
    sphere = export.load_generator(export.export_generator(
        mlp_generator(2, (2,)), str(tmp_path / "s"), 2, prior="sphere",
        prior_mean=np.array([3.0, -1.0], np.float32), prior_tril=tril))
    np.testing.assert_allclose(sampling.draw(sphere, 9, 4, batch_size=4),
                               sphere.sample(9, 4).numpy(), atol=1e-6)
    assert list(sampling.seed_words(2**31 - 1)) == [2**31 - 1, 0]
    assert list(sampling.seed_words(2**32 + 5)) == [5, 1]
    with pytest.raises(ValueError, match="available memory"):
        sampling.check_memory(1000, (28, 28, 1), 8, available=2 * 1000 * 792 * 4 - 1)
    sampling.check_memory(1000, (28, 28, 1), 8, available=2 * 1000 * 792 * 4)


def test_evaluate_checks_arguments_and_dataset_before_computing(tmp_path, exports):
    missing = f"--model={tmp_path}/none"  # would fail later: the checks come first
    cases = [
        ([missing, "--dataset=ring8", "--metrics=modes", "--num_samples=-5"],
         ["--num_samples"]),
        ([missing, "--dataset=ring8", "--metrics=modes,fid2"], ["fid2", "valid"]),
        ([missing, "--dataset=ring8", "--metrics=modes", "--seed=-1"], ["--seed"]),
        ([f"--model={exports['image']}", "--dataset=ring8", "--metrics=modes"],
         ["(28, 28, 1)", "mnist", "ring8", "(2,)"]),
        ([f"--model={exports['points']}", "--dataset=mnist5k", "--metrics=modes"],
         ["(2,)", "grid25", "(28, 28, 1)"]),
        ([f"--model={exports['points']}", "--dataset=ring8", "--metrics=modes",
          "--num_samples=200"], None),
    ]
    results = run_cases("tools/evaluate.py", [args for args, _ in cases])
    for (args, fragments), result in zip(cases, results):
        if fragments is not None:
            assert_one_line_error(result, *fragments)
    ok = results[-1]  # trained on grid25, evaluated on ring8: same shape, a note
    assert ok["code"] == 0, ok["stderr"][-2000:]
    assert "note: the export was trained on grid25; evaluating against ring8" \
        in ok["stderr"]
    assert json.loads(ok["stdout"])["metrics"]["modes"]["modes_covered"] >= 0


def test_evaluate_library_checks_before_loading(tmp_path):
    with pytest.raises(ValueError, match="num_samples"):
        evaluation.evaluate(str(tmp_path / "none"), "ring8", ["modes"], num_samples=-5)
    with pytest.raises(ValueError, match="seed"):
        evaluation.evaluate(str(tmp_path / "none"), "ring8", ["modes"],
                            seed=evaluation.MAX_SEED + 1)
    evaluation.check_dataset({"dataset": "mnist5k", "image_shape": [28, 28, 1]},
                             "mnist", (28, 28, 1))
