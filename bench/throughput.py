"""Training throughput (images/s) of each method, library vs hand-written.

Prints one JSON object. Each variant runs in its own subprocess so that its
peak resident memory is its own. The reference networks are ``dcgan28``
(tfgen.networks.dcgan at 28x28x1, width 64, latent 64, batch 64, Adam(2e-4,
beta1=0.5)); the "hand" variants write the same step in plain Keras (a
``keras.Model`` with a minimal ``train_step``), the "torch" variants in
PyTorch eager when it is installed.

    .venv/bin/python bench/throughput.py [--steps=60] [--variants=...]

On a GPU, ``--batch`` sets a batch that fills it, ``--mixed_precision``
trains the library variants under the ``mixed_float16`` policy with a loss
scale optimizer (the hand-written variants are then skipped: they do no loss
scaling), and the PyTorch variants run on CUDA when PyTorch sees a GPU.
"""

import json
import os
import platform
import resource
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402

flags.DEFINE_integer("steps", 60, "Timed steps per variant (after warm-up).")
flags.DEFINE_integer("warmup", 10, "Untimed steps (tracing, allocation); >= 1.")
flags.DEFINE_string("variants", "", "Comma-separated subset; '' = all.")
flags.DEFINE_string("one", "", "Internal: run only this variant and print JSON.")
flags.DEFINE_integer("batch", 64, "Batch size (64 is the dcgan28 reference).")
flags.DEFINE_enum("data", "synthetic", ["synthetic", "autotune_on", "autotune_off"],
                  "Input pipeline of the Keras variants (see _pipeline).")
flags.DEFINE_bool("mixed_precision", False,
                  "mixed_float16 policy and loss scaling for the library variants.")
FLAGS = flags.FLAGS

LATENT, SHAPE = 64, (28, 28, 1)
VARIANTS = [
    "lib_ns", "lib_ns_xla", "hand_ns", "hand_ns_xla",
    "lib_wgangp", "lib_wgangp_xla", "hand_wgangp", "hand_wgangp_xla",
    "lib_lsgan", "lib_hinge_r1", "torch_ns", "torch_wgangp",
    "lib_minimax", "lib_wgan", "recipe_coopnets", "recipe_descriptor",
    "recipe_alternating_backprop", "recipe_coopinit", "recipe_ctrl", "recipe_coa_ctrl",
    "lib_simultaneous", "lib_consensus",
]
# recipe_* variants: each method as its MNIST recipe builds it (tfgen.recipes),
# batch 64, so these networks differ from dcgan28 (CTRL works on 32x32 and
# the descriptors are the CoopNets Sec. 5.2 ConvNet).


# lib_* variants: the library's step with this loss and these model arguments.
LIB = {
    "lib_ns": ("non_saturating", {}),
    "lib_wgangp": ("wasserstein", dict(gp_weight=10.0)),
    "lib_lsgan": ("least_squares", {}),
    "lib_hinge_r1": ("hinge", dict(r1_weight=1.0)),
    "lib_minimax": ("minimax", {}),
    # Same networks and step inputs; consensus adds the J^T v backward pass.
    "lib_simultaneous": ("non_saturating", dict(simultaneous=True, consensus_weight=0.0)),
    "lib_consensus": ("non_saturating", dict(simultaneous=True, consensus_weight=10.0)),
    "lib_wgan": ("wasserstein", dict(clip_value=0.01, n_critic=5)),
}
RECIPES = ("coopnets", "descriptor", "alternating_backprop", "coopinit", "ctrl", "coa_ctrl")


def _data():
    import numpy as np
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (FLAGS.batch * 8,) + SHAPE).astype("float32")


def _lib_model(loss, jit, simultaneous=False, **kw):
    import keras
    from tfgen.models.adversarial import AdversarialModel
    from tfgen.models.consensus import SimultaneousModel
    from tfgen.networks.dcgan import dcgan_discriminator, dcgan_generator
    g, d = dcgan_generator(LATENT, SHAPE), dcgan_discriminator(SHAPE)
    cls = SimultaneousModel if simultaneous else AdversarialModel
    m = cls(g, d, LATENT, loss=loss, **kw)
    wrap = keras.optimizers.LossScaleOptimizer if FLAGS.mixed_precision else (lambda o: o)
    m.compile({p: wrap(keras.optimizers.Adam(2e-4, beta_1=0.5))
               for p in ("generator", "discriminator")}, jit_compile=jit)
    return m


def _hand_model(gp, jit):
    import keras
    import tensorflow as tf
    from tfgen.networks.dcgan import dcgan_discriminator, dcgan_generator

    class Hand(keras.Model):
        def __init__(self):
            super().__init__()
            self.g, self.d = dcgan_generator(LATENT, SHAPE), dcgan_discriminator(SHAPE)
            self.go = keras.optimizers.Adam(2e-4, beta_1=0.5)
            self.do = keras.optimizers.Adam(2e-4, beta_1=0.5)
            self.built = True

        def train_step(self, x):
            b = tf.shape(x)[0]
            z = tf.random.normal([b, LATENT])
            with tf.GradientTape() as t:
                fake = self.g(z, training=True)
                r, f = self.d(x, training=True), self.d(fake, training=True)
                if gp:
                    a = tf.random.uniform([b, 1, 1, 1])
                    xi = a * x + (1 - a) * fake
                    with tf.GradientTape() as t2:
                        t2.watch(xi)
                        o = self.d(xi, training=True)
                    gr = t2.gradient(o, xi)
                    n = tf.sqrt(tf.reduce_sum(gr ** 2, [1, 2, 3]) + 1e-12)
                    dl = tf.reduce_mean(f) - tf.reduce_mean(r) + 10 * tf.reduce_mean((n - 1) ** 2)
                else:
                    dl = tf.reduce_mean(tf.nn.softplus(-r)) + tf.reduce_mean(tf.nn.softplus(f))
            self.do.apply_gradients(zip(t.gradient(dl, self.d.trainable_variables),
                                        self.d.trainable_variables))
            z = tf.random.normal([b, LATENT])
            with tf.GradientTape() as t:
                f = self.d(self.g(z, training=True), training=True)
                gl = -tf.reduce_mean(f) if gp else tf.reduce_mean(tf.nn.softplus(-f))
            self.go.apply_gradients(zip(t.gradient(gl, self.g.trainable_variables),
                                        self.g.trainable_variables))
            return {"d": dl, "g": gl}

    m = Hand()
    m.compile(optimizer=None, jit_compile=jit)
    m.go.build(m.g.trainable_variables)
    m.do.build(m.d.trainable_variables)
    return m


def _recipe_model(method, jit):
    import tensorflow as tf
    from tfgen import data, recipes, trainer
    if method in ("ctrl", "coa_ctrl"):
        c = recipes.ctrl("mnist", coa_ratio=1.3 if method == "coa_ctrl" else 0.0)
        shape = (32, 32, 1)
    else:
        c = getattr(recipes, method)("mnist")
        shape = SHAPE
    c.data.batch_size = FLAGS.batch
    c.train.jit_compile = jit
    c.train.mixed_precision = FLAGS.mixed_precision
    info = data.DatasetInfo("mnist", shape, 10, 60000)
    return trainer.build(c, tf.distribute.get_strategy(), info), shape


def _pipeline(shape, per_step):
    """The batches a variant trains on, per ``--data``.

    ``synthetic``: a small uniform array (the historical setting);
    ``autotune_on`` / ``autotune_off``: the trainer's own pipeline
    (tfgen.data.pipeline) over the 5,000 mnist5k digits, with tf.data
    autotuning on or off.
    """
    import tensorflow as tf
    batch = FLAGS.batch * per_step
    if FLAGS.data == "synthetic":
        x = _data()
        if shape != SHAPE:
            x = tf.image.resize(x, shape[:2]).numpy()
        return tf.data.Dataset.from_tensor_slices(x).repeat().batch(
            batch, drop_remainder=True).prefetch(2)
    from tfgen import data
    from tfgen.data.pipeline import make_dataset_from_arrays

    images, _ = data.load_arrays("mnist5k")
    size = shape[0] if shape[0] != images.shape[1] else None
    return make_dataset_from_arrays(
        images, None, batch, seed=0, image_size=size,
        autotune=FLAGS.data == "autotune_on")


def _time_keras(model, shape=SHAPE):
    """Seconds for FLAGS.steps steps, timed inside the training loop.

    One ``fit`` call runs the warm-up and the timed steps; the clock runs
    from the end of the last warm-up step to the end of the last step, so
    neither tracing nor ``fit``'s shutdown tail (tf.data threads stopping,
    NOTES-keras3.md #12) is counted. A step takes examples_per_step batches.
    """
    import keras

    stamps = []

    class Stamp(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            stamps.append(time.perf_counter())

    ds = _pipeline(shape, model.examples_per_step)
    model.fit(ds, steps_per_epoch=FLAGS.warmup + FLAGS.steps, epochs=1, verbose=0,
              callbacks=[Stamp()])
    return stamps[-1] - stamps[FLAGS.warmup - 1]


def run_one(name):
    extra = {}
    shape = SHAPE
    if name.startswith("torch"):
        try:
            from throughput_torch import time_torch  # bench/, beside this script
            secs, extra["torch"] = time_torch(name.endswith("wgangp"), _data()[:FLAGS.batch],
                                              LATENT, FLAGS.warmup, FLAGS.steps)
        except ImportError:
            return {"variant": name, "skipped": "torch not installed "
                    "(pip install torch==2.13.0)"}
    elif FLAGS.mixed_precision and name.startswith("hand"):
        return {"variant": name, "skipped": "hand-written steps do no loss scaling"}
    elif FLAGS.mixed_precision and name in ("lib_simultaneous", "lib_consensus"):
        return {"variant": name, "skipped": "the consensus step does no loss scaling"}
    else:
        if FLAGS.mixed_precision:
            import keras
            keras.mixed_precision.set_global_policy("mixed_float16")
        jit = name.endswith("_xla")
        base = name.replace("_xla", "")
        if base == "hand_ns":
            model = _hand_model(False, jit)
        elif base == "hand_wgangp":
            model = _hand_model(True, jit)
        elif base in LIB:
            loss, kw = LIB[base]
            model = _lib_model(loss, jit, **kw)
        elif base.startswith("recipe_") and base[7:] in RECIPES:
            model, shape = _recipe_model(base[7:], jit)
        else:
            raise ValueError(f"unknown variant {name!r}; valid: {', '.join(VARIANTS)}")
        secs = _time_keras(model, shape)
        extra["batches_per_step"] = model.examples_per_step
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    per_step = extra.get("batches_per_step", 1)
    # Real images consumed per second (a WGAN step with n_critic = 5 reads 5 batches).
    return {"variant": name, "images_per_s": round(FLAGS.steps * FLAGS.batch * per_step / secs, 1),
            "peak_rss_mib": round(rss, 1), **extra}


def main(argv):
    del argv
    if FLAGS.one:
        print(json.dumps(run_one(FLAGS.one)))
        return
    names = [v for v in FLAGS.variants.split(",") if v] or VARIANTS
    results = {}
    for name in names:
        out = subprocess.run(
            [sys.executable, __file__, f"--one={name}", f"--steps={FLAGS.steps}",
             f"--warmup={FLAGS.warmup}", f"--batch={FLAGS.batch}",
             f"--mixed_precision={FLAGS.mixed_precision}", f"--data={FLAGS.data}"],
            capture_output=True, text=True)
        if out.returncode:
            results[name] = {"error": out.stderr.strip().splitlines()[-1:]}
        else:
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    ratios = {}
    for loss in ("ns", "wgangp"):
        for suffix in ("", "_xla"):
            lib, hand = results.get(f"lib_{loss}{suffix}"), results.get(f"hand_{loss}{suffix}")
            if lib and hand and "images_per_s" in lib and "images_per_s" in hand:
                ratios[f"lib_over_hand_{loss}{suffix}"] = round(
                    lib["images_per_s"] / hand["images_per_s"], 3)
            tor = results.get(f"torch_{loss}")
            if hand and tor and "images_per_s" in tor and "images_per_s" in hand:
                ratios[f"hand{suffix}_over_torch_{loss}"] = round(
                    hand["images_per_s"] / tor["images_per_s"], 3)
    import tensorflow as tf
    print(json.dumps({
        "benchmark": "throughput", "network": "dcgan28", "batch": FLAGS.batch,
        "mixed_precision": FLAGS.mixed_precision, "data": FLAGS.data,
        "timing": "inside the loop: end of the last warm-up step to end of the last step",
        "gpus": [d.name for d in tf.config.list_physical_devices("GPU")],
        "timed_steps": FLAGS.steps, "results": results, "ratios": ratios,
        "cpu_count": os.cpu_count(), "machine": platform.machine(),
        "tensorflow": tf.__version__,
        "command": "  ".join(["python bench/throughput.py"] + sys.argv[1:]),
    }, indent=1))


if __name__ == "__main__":
    app.run(main)
