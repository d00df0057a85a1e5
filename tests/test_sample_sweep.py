"""tools/sample.py --sweep: one latent coordinate walks, the rest stays."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from tfgen import export, priors, sampling
from tfgen.export_parts import ConditionalSamplePart, SamplePart

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def identity(d):
    x = keras.Input((d,))
    return keras.Model(x, keras.layers.Identity()(x))


def labelled_identity(d):
    """[latents, labels] → latents + label in every coordinate."""
    z, y = keras.Input((d,)), keras.Input((), dtype="int32")
    label = keras.layers.Lambda(lambda t: keras.ops.cast(t[:, None], "float32"))(y)
    return keras.Model([z, y], keras.layers.Add()([z, label]))


def test_sweep_moves_only_the_chosen_coordinate(tmp_path):
    path = export.save({"sample": SamplePart(identity(4), priors.Prior("normal", 4))},
                       str(tmp_path / "e"))
    part = export.load(path).part("sample")
    x = sampling.sweep(part, 2, -1.0, 1.0, steps=5, seed=7)
    base = sampling.latents(part, 1, 7).numpy()[0]
    np.testing.assert_allclose(x[:, 2], np.linspace(-1, 1, 5), atol=1e-6)
    np.testing.assert_allclose(np.delete(x, 2, axis=1), np.delete(np.tile(base, (5, 1)), 2,
                                                                   axis=1), atol=1e-6)
    with pytest.raises(ValueError, match="outside the latent"):
        sampling.sweep(part, 4, -1.0, 1.0)


def test_sample_tool_sweeps_a_conditional_export_one_row_per_label(tmp_path):
    part = ConditionalSamplePart(labelled_identity(3), 4, prior=priors.Prior("normal", 3))
    path = export.save({"conditional_sample": part}, str(tmp_path / "e"))
    out = tmp_path / "s.npz"
    p = subprocess.run([sys.executable, "tools/sample.py", f"--model={path}",
                        "--sweep=1:-2:2", "--num=3", "--labels=0,3", f"--out={out}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    x = np.load(out)["images"]
    assert x.shape == (6, 3)
    # Column 1 walks -2..2 plus the label; rows of label 3 sit 3 higher.
    np.testing.assert_allclose(x[:3, 1], [-2, 0, 2], atol=1e-5)
    np.testing.assert_allclose(x[3:, 1], [1, 3, 5], atol=1e-5)
    p = subprocess.run([sys.executable, "tools/sample.py", f"--model={path}",
                        "--sweep=1:a", f"--out={tmp_path / 't.png'}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode != 0
    assert p.stderr.strip().splitlines()[-1].startswith("error: --sweep=1:a must be")
