"""CTRL and CoA-CTRL: the gradient split, replicas, learning, export."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import data, export, sampling
from tfgen.losses import delta_r, normalize
from tfgen.models.ctrl import CTRLModel, ScaledSchedule
from tfgen.testing import max_abs_difference, weights_after_steps


def tiny_encoder(nz=4):
    x = keras.Input((6,))
    return keras.Model(x, keras.layers.Dense(nz)(keras.layers.Dense(8, activation="tanh")(x)))


def tiny_decoder(nz=4):
    z = keras.Input((nz,))
    return keras.Model(z, keras.layers.Dense(6, activation="tanh")(keras.layers.Dense(8, activation="tanh")(z)))


def make(coa_ratio):
    def _make():
        m = CTRLModel(tiny_encoder(), tiny_decoder(), 4, coa_ratio=coa_ratio)
        return m, {"encoder": keras.optimizers.Adam(ScaledSchedule(1e-3, m.lr_multiplier)),
                   "generator": keras.optimizers.Adam(1e-3)}
    return _make


def test_adversarial_gradient_is_g_theta2_plus_g_theta3():
    keras.utils.set_random_seed(0)
    m, _ = make(1.3)()
    x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (16, 6)), tf.float32)
    enc = m.encoder
    with tf.GradientTape() as tape:
        loss = m.adversarial_loss(x)
    model_grad = tape.gradient(loss, enc.trainable_variables)
    # By hand: three copies of the encoder weights, one per use.
    copies = [keras.models.clone_model(enc) for _ in range(3)]
    for c in copies:
        c.set_weights(enc.get_weights())
    e1, e2, e3 = copies
    with tf.GradientTape(persistent=True) as tape:
        z = normalize(e3(x))                     # theta3: critic on X
        x_bar = m.generator(normalize(e1(x)), training=True)  # theta1: feeds the decoder
        z_hat = normalize(e2(x_bar))             # theta2: critic on X-bar
        dr = delta_r(z, z_hat)
    g1, g2, g3 = (tape.gradient(dr, c.trainable_variables) for c in copies)
    for mg, a, b in zip(model_grad, g2, g3):
        np.testing.assert_allclose(mg.numpy(), -(a + b).numpy(), atol=1e-5)
    # ... and the cooperative pass's encoder gradient is g1 + g2 + g3.
    with tf.GradientTape() as tape:
        full = delta_r(m.encode(x), m.encode(m.generator(m.encode(x), training=True)))
    for fg, a, b, c in zip(tape.gradient(full, enc.trainable_variables), g1, g2, g3):
        np.testing.assert_allclose(fg.numpy(), (a + b + c).numpy(), atol=1e-5)
    assert max(float(tf.reduce_max(tf.abs(t))) for t in g1) > 1e-4  # g1 is not trivial


@pytest.mark.parametrize("coa_ratio", [0.0, 1.3])
def test_two_replicas_equal_one_device(coa_ratio, two_replicas, one_device):
    batch = np.random.default_rng(1).uniform(-1, 1, (16, 6)).astype("float32")
    one = weights_after_steps(one_device, make(coa_ratio), batch, steps=2)
    two = weights_after_steps(two_replicas, make(coa_ratio), batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def test_coa_ratio_scales_only_the_adversarial_update():
    keras.utils.set_random_seed(0)
    m, opts = make(2.0)()
    m.compile(opts)
    m.fit(tf.data.Dataset.from_tensors(np.zeros((8, 6), np.float32)).repeat(),
          steps_per_epoch=1, verbose=0)
    assert float(m.lr_multiplier.numpy()) == 1.0  # restored after the adversarial pass
    assert int(m.optimizer_for("encoder").iterations.numpy()) == 2  # two encoder updates


@pytest.mark.slow
@pytest.mark.parametrize("method,ratio", [("ctrl", 0.0), ("coa_ctrl", 1.3)])
def test_short_mnist_run_reduces_reconstruction_error(method, ratio):
    from tfgen import config as config_lib
    from tfgen import trainer

    c = config_lib.base_config()
    import importlib.util, os  # noqa: E401
    path = os.path.join(os.path.dirname(__file__), "..", "configs", f"{method}_mnist.py")
    spec = importlib.util.spec_from_file_location("c", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    c = mod.get_config()
    c.data.name, c.data.batch_size = "mnist5k", 64
    c.net.encoder.width = c.net.generator.width = 16
    c.net.latent_dim = 32
    c.optim.g_lr = c.optim.d_lr = 1e-3
    c.train.steps = 150
    keras.utils.set_random_seed(0)
    info = data.DatasetInfo("mnist5k", (32, 32, 1), 10, 5000)
    m = trainer.build(c, tf.distribute.get_strategy(), info)
    x = tf.image.resize(data.load_arrays("mnist5k")[0][:256], [32, 32])

    def mse():
        return float(tf.reduce_mean(tf.square(x - m.generator(m.encode(x, False), training=False))))

    before = mse()
    m.fit(data.make_dataset("mnist5k", 64, image_size=32), steps_per_epoch=150, verbose=0)
    after = mse()
    print(method, "reconstruction MSE", before, "->", after)
    assert after < 0.7 * before


def test_decoder_export_samples_on_the_sphere_prior(tmp_path):
    m, opts = make(0.0)()
    m.compile(opts)
    m.fit(tf.data.Dataset.from_tensors(
        np.random.default_rng(2).uniform(-1, 1, (32, 6)).astype(np.float32)).repeat(),
        steps_per_epoch=3, verbose=0)
    p = m.export_prior()
    path = export.export_generator(m.generator, str(tmp_path / "e"), 4, prior="sphere",
                                   prior_mean=p["mean"], prior_tril=p["scale_tril"])
    mod = tf.saved_model.load(path)
    x = sampling.draw(mod, 50, seed=0)
    assert x.shape == (50, 6) and np.all(np.abs(x) <= 1)
    from tfgen import priors
    z = priors.sample("sphere", [50, 4], tf.constant([0, 0]), mean=p["mean"],
                      scale_tril=p["scale_tril"]).numpy()
    np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(x, m.generator(z, training=False).numpy(), atol=1e-5)


@pytest.mark.slow
def test_ctrl_tools_end_to_end(tmp_path):
    import json
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    w = str(tmp_path / "w")

    def run(*args):
        p = subprocess.run([sys.executable, *args], cwd=root, capture_output=True, text=True,
                           timeout=300)
        assert p.returncode == 0, p.stderr[-2000:]
        return p.stdout

    run("tools/train.py", "--config=configs/coa_ctrl_mnist.py", f"--workdir={w}",
        "--config.data.name=mnist5k", "--config.data.batch_size=32",
        "--config.train.steps=10", "--config.train.checkpoint_every=10",
        "--config.net.encoder.width=8", "--config.net.generator.width=8",
        "--config.net.latent_dim=16")
    out = json.loads(run("tools/reconstruct.py", f"--workdir={w}", "--split=train",
                         "--num_eval=100", f"--out={tmp_path}/r.png"))
    assert out["images"] == 100 and out["psnr_db"] == pytest.approx(
        10 * np.log10(4 / out["mse"]))
    run("tools/components.py", f"--workdir={w}", f"--out={tmp_path}/pc.png",
        "--components=3")
    assert (tmp_path / "r.png").exists() and (tmp_path / "pc.png").exists()
