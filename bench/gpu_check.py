"""Checks that training, checkpointing and export run on the GPU.

Trains ``configs/dcgan_mnist5k.py`` through the same ``tfgen.trainer.run``
that ``tools/train.py`` calls, under ``mixed_float16`` and a
``MirroredStrategy`` (over every GPU, or over ``--logical_gpus`` logical
devices carved out of a single GPU), then reloads the SavedModel and draws
from it. Prints one JSON object; exits non-zero when a check fails.

    python bench/gpu_check.py [--steps=500] [--logical_gpus=2]
"""

import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from absl import app, flags  # noqa: E402

flags.DEFINE_integer("steps", 500, "Training steps (a multiple of 100).")
flags.DEFINE_integer("logical_gpus", 2,
                     "On a one-GPU machine, split it into this many logical GPUs "
                     "so that MirroredStrategy has several replicas (1 = no split).")
flags.DEFINE_bool("mixed_precision", True, "Train under mixed_float16.")
flags.DEFINE_string("workdir", "", "Training directory ('' = a fresh temporary one).")
flags.DEFINE_bool("require_gpu", True, "Fail without a GPU (false: a CPU dry run).")
FLAGS = flags.FLAGS


def main(argv):
    del argv
    import numpy as np
    import tensorflow as tf

    from tfgen import distribute, export, trainer
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus and FLAGS.require_gpu:
        sys.exit("no GPU visible to TensorFlow; this check needs one "
                 "(--norequire_gpu runs it on the CPU)")
    if len(gpus) == 1:
        distribute.split_gpu(FLAGS.logical_gpus)

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "configs"))
    import dcgan_mnist5k
    config = dcgan_mnist5k.get_config()
    config.train.steps = FLAGS.steps
    config.train.checkpoint_every = 100
    config.train.sample_every = FLAGS.steps
    config.train.mixed_precision = FLAGS.mixed_precision
    workdir = FLAGS.workdir or tempfile.mkdtemp(prefix="tfgen_gpu_check_")

    t0 = time.perf_counter()
    model = trainer.run(config, workdir, verbose=2)
    train_s = time.perf_counter() - t0

    strategy = model.distribute_strategy
    kernel = model.generator.trainable_weights[0]
    value = getattr(kernel, "value", kernel)
    copies = getattr(value, "values", (value,))
    checks = {
        "strategy": type(strategy).__name__,
        "replicas": strategy.num_replicas_in_sync,
        "variable_devices": sorted({c.device for c in copies}),
        "compute_dtypes": sorted({layer.compute_dtype for layer in model.generator.layers}),
    }

    export_dir = os.path.join(workdir, "export")
    loaded = tf.saved_model.load(export_dir)
    z = tf.random.stateless_normal([16, int(loaded.latent_dim)], seed=[1, 2])
    images = loaded.signatures["serving_default"](latents=z)
    images = next(iter(images.values())).numpy()
    sampler = export.load_generator(export_dir)
    drawn = np.asarray(sampler.sample(tf.constant(64), tf.constant(3)))
    checks.update({
        "export_output_dtype": str(images.dtype),
        "export_output_shape": list(images.shape),
        "export_output_range": [float(images.min()), float(images.max())],
        "samples_finite": bool(np.isfinite(drawn).all()),
        "checkpoints": sorted(os.listdir(os.path.join(workdir, "checkpoints"))),
    })
    want_replicas = FLAGS.logical_gpus if len(gpus) == 1 else max(len(gpus), 1)
    ok = ((checks["replicas"] == want_replicas
           and all("GPU" in d for d in checks["variable_devices"]) or not gpus)
          and images.dtype == np.float32 and images.shape == (16, 28, 28, 1)
          and -1.0 <= images.min() and images.max() <= 1.0
          and checks["samples_finite"]
          and ("float16" in checks["compute_dtypes"]) == FLAGS.mixed_precision)
    print(json.dumps({
        "benchmark": "gpu_check", "ok": bool(ok), "steps": FLAGS.steps,
        "train_wall_s": round(train_s, 1), "workdir": workdir,
        "gpus": [tf.config.experimental.get_device_details(g).get("device_name", g.name)
                 for g in gpus],
        "tensorflow": tf.__version__, "checks": checks,
        "command": " ".join(["python bench/gpu_check.py"] + sys.argv[1:]),
    }, indent=1))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    app.run(main)
