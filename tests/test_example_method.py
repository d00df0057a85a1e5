"""A new method needs no change to the trainer, the export or the tools.

The method here exists only in this file: a two-player "moment game" on
2-D points. The critic is linear in the features φ(x) = [x, x²] and
maximizes E c(x) − E c(G(z)) − ||w||² (so its best reply is
w = (E φ(x) − E φ(G(z))) / 2, which one SGD step of rate 0.5 reaches);
the generator maximizes E c(G(z)). At equilibrium the generator matches
the data's first and second moments. It is declared (model, networks,
players, optimizers) and registered, then trained by ``tfgen.trainer``,
exported, and sampled by ``tools/sample.py`` in another process, which has
never heard of it.
"""

import os
import subprocess
import sys

import keras
import numpy as np
import tensorflow as tf

from tfgen import builders, data, export, networks, trainer
from tfgen import config as config_lib
from tfgen.builders.spec import Method, optimizer
from tfgen.models.latent import LatentGame

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def moment_critic(image_shape, name="critic"):
    """c(x) = w · [x, x²] (no bias)."""
    x = keras.Input(tuple(image_shape))
    feats = keras.layers.Concatenate()([x, keras.layers.Multiply()([x, x])])
    out = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")(feats)
    return keras.Model(x, out, name=name)


@keras.saving.register_keras_serializable(package="tfgen_test")
class MomentGame(LatentGame):
    networks = ("generator", "critic")
    hparams = dict(LatentGame.hparams, weight_decay=1.0)
    loss_names = ("critic_gap", "g_loss")

    def train_step(self, data):
        real = self.batch(data)
        z = self.sample_latents(tf.shape(real)[0], stream=0)
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            gap = tf.reduce_mean(self.critic(real)) - tf.reduce_mean(self.critic(fake))
            penalty = tf.add_n([tf.reduce_sum(tf.square(w))
                                for w in self.critic.trainable_weights])
            loss = -gap + self.weight_decay * penalty
            scaled = self.scale(loss, "critic")
        self.update("critic", tape, scaled)
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.critic(self.generator(z, training=True)))
            scaled = self.scale(g_loss, "generator")
        self.update("generator", tape, scaled)
        self.finish_step()
        return self.track(critic_gap=gap, g_loss=g_loss)


def optimizers(config, model):
    # The critic's best reply in one step; the generator by Adam.
    return {"critic": keras.optimizers.SGD(0.5),
            "generator": optimizer(config.optim, config.optim.g_lr)}


def register():
    if "moment_critic" not in networks.NETWORKS:
        networks.register("moment_critic", "critic", moment_critic)
    builders.register(Method(
        name="moment_game", model=MomentGame,
        slots={"generator": "generator", "critic": "critic"},
        networks={"generator": networks.entry("mlp_generator", hidden=(32, 32)),
                  "critic": networks.entry("moment_critic")},
        lr={"generator": "g_lr", "critic": "d_lr"}, optimizers=optimizers,
        summary="a test's moment-matching game"))


def second_moment(x):
    return float(np.mean(np.sum(np.square(x), axis=1)))


def test_a_method_declared_outside_the_library_trains_exports_and_samples(tmp_path):
    register()
    c = config_lib.toy_mixture_config("ring8", "moment_game")
    config_lib.set_network(c, "generator", "mlp_generator", hidden=(32, 32))
    config_lib.set_network(c, "critic", "moment_critic")
    c.optim.g_lr = 1e-2
    c.train.steps, c.train.checkpoint_every, c.train.sample_every = 1500, 750, 750
    c.train.num_sample_images = 500
    work = str(tmp_path / "w")
    model = trainer.run(c, work, verbose=0)
    assert int(model.step_counter.numpy()) == 1500
    assert sorted(os.listdir(os.path.join(work, "samples")))  # the grid callback drew it

    exp = export.load(os.path.join(work, "export"))
    assert exp.kinds == ["sample"] and exp.meta["method"] == "moment_game"
    out = tmp_path / "s.npz"
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "sample.py"),
                    f"--model={work}/export", "--num=2000", f"--out={out}"],
                   check=True, capture_output=True, text=True, timeout=300)
    samples = np.load(out)["samples"] if "samples" in np.load(out) else \
        np.load(out)[np.load(out).files[0]]
    real, _ = data.load_arrays("ring8")
    # ring8: radius 2, E||x||² ≈ 4. The untrained generator's output is far
    # from that; the trained one matches it and the data's mean (0, 0).
    untrained = keras.models.clone_model(model.generator)
    z0 = tf.random.stateless_normal([2000, 2], [0, 0])
    start_error = abs(second_moment(untrained(z0).numpy()) - second_moment(real))
    end_error = abs(second_moment(samples) - second_moment(real))
    assert end_error < 0.1 * second_moment(real), (end_error, start_error)
    assert end_error < 0.25 * start_error
    assert np.linalg.norm(samples.mean(0) - real.mean(0)) < 0.15
