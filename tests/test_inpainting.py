"""Image completion: baselines on images with known answers, latent inference."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen import inpainting


def test_masks_hide_one_square_each():
    m = inpainting.square_masks(5, (28, 28, 1), 10, seed=1)
    assert m.shape == (5, 28, 28, 1) and np.all((1 - m).sum(axis=(1, 2, 3)) == 100)
    with pytest.raises(ValueError, match="mask size 40"):
        inpainting.square_masks(1, (28, 28, 1), 40)


def test_baselines_are_exact_where_they_should_be():
    ramp = np.tile(np.linspace(-1, 1, 16, dtype=np.float32), (16, 1))[None, :, :, None]
    masks = inpainting.square_masks(1, (16, 16, 1), 6, seed=0)
    # Harmonic interpolation reproduces a linear function exactly.
    assert inpainting.recovery_error(ramp, inpainting.fill_harmonic(ramp, masks, 2000),
                                     masks) < 1e-3
    const = np.full((2, 8, 8, 1), 0.3, np.float32)
    m2 = inpainting.square_masks(2, (8, 8, 1), 3)
    assert inpainting.recovery_error(const, inpainting.fill_mean(const, m2), m2) < 1e-7
    assert inpainting.recovery_error(const, np.zeros_like(const), m2) == pytest.approx(0.15)


def test_latent_inference_recovers_generated_images():
    # A generator with structure across the image: each latent a smooth
    # random pattern, squashed by tanh.
    w = tf.constant(np.random.default_rng(1).standard_normal((8, 256)) * 0.6, tf.float32)
    g_fn = lambda z: tf.reshape(tf.tanh(z @ w), [-1, 16, 16, 1])  # noqa: E731
    z = np.random.default_rng(0).standard_normal((6, 8)).astype(np.float32)
    truth = g_fn(z).numpy()
    masks = inpainting.square_masks(6, (16, 16, 1), 6, seed=2)
    done = inpainting.complete_with_generator(g_fn, 8, truth, masks, steps=300,
                                              step_size=0.02, sigma=0.1)
    err = inpainting.recovery_error(truth, done, masks)
    base = inpainting.recovery_error(truth, inpainting.fill_harmonic(truth, masks), masks)
    assert np.allclose(done * masks, truth * masks)  # observed pixels kept
    assert err < 0.5 * base


def test_inpaint_tool_writes_png_and_json(tmp_path, shared_data):
    import json
    import os
    import subprocess
    import sys

    from tfgen import export
    from tfgen.networks.dcgan import dcgan_generator

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = export.export_generator(dcgan_generator(8, (28, 28, 1), width=8),
                                   str(tmp_path / "e"), 8)
    png = tmp_path / "c.png"
    p = subprocess.run([sys.executable, "tools/inpaint.py", f"--models={path}",
                        f"--data_dir={shared_data}", "--mask=square:13", "--num=10",
                        "--steps=20", f"--out={png}"],
                       cwd=root, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert set(out["recovery_error"]) == {"baseline_mean", "baseline_harmonic", path}
    assert all(0 < v < 1 for v in out["recovery_error"].values())
    assert png.is_file() and png.stat().st_size > 0
    bad = subprocess.run([sys.executable, "tools/inpaint.py", f"--models={path}",
                          "--mask=circle:3"], cwd=root, capture_output=True, text=True,
                         timeout=300)
    assert bad.returncode == 1 and "square:SIZE" in bad.stderr.strip().splitlines()[-1]
