"""InfoGAN on MNIST: does the categorical code recover the digit classes?

    .venv/bin/python bench/infogan.py --seeds=0,1,2 --steps=6000 --eval_every=1000 \
        --data_dir=../shared/data --out=docs/benchmarks/infogan_ssgan \
        --json=bench/results/infogan_mnist_6000.json

Trains a CPU-sized InfoGAN (the paper's MNIST networks narrowed: ``--width``
and ``--hidden``; 62 noise + a 10-way code + 2 continuous codes; the
learning rates of the authors' code) once per seed, then reports, per seed:

* ``code_accuracy``: argmax Q(c | x) on the MNIST test digits after the best
  one-to-one matching of the 10 codes to the 10 classes (Hungarian
  algorithm), as the paper's "5% error" is measured;
* ``mi_categorical``: the bound L_I = E log Q(c | G(z, c)) + ln 10 on 2,000
  fresh codes (its ceiling is ln 10 = 2.303);
* ``code_accuracy_batch_stats``: the same with D's batch norm on each real
  test batch's own statistics (a check that the moving averages, mostly
  updated on generated batches, are not what limits the figure);
* with ``--eval_every``, the code accuracy along training (``curve``);
* the wall time. Every seed run is reported, with how many reached 80%.

With ``--out``, writes one PNG per seed: rows = the 10 categorical codes,
then a sweep of each continuous code from −1 to 1 (noise fixed), the
traversals of the paper's Figure 2.
"""

import json
import os
import sys
import time

import numpy as np
from absl import flags

from tfgen import cli
from tfgen.atomic_write import refuse_existing, write_text

cli.quiet_tensorflow()

flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
flags.DEFINE_integer("steps", 6000, "Training steps per seed.")
flags.DEFINE_integer("batch_size", 64, "Global batch size.")
flags.DEFINE_integer("width", 32, "Convolution width (the paper's 64).")
flags.DEFINE_integer("hidden", 256, "Fully connected width (the paper's 1024).")
flags.DEFINE_float("g_lr", 1e-3, "Generator learning rate.")
flags.DEFINE_float("d_lr", 2e-4, "Discriminator / Q learning rate.")
flags.DEFINE_string("data_dir", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_string("out", "", "Folder for traversal grids ('' = none).")
flags.DEFINE_integer("eval_every", 0, "Also measure code accuracy every this many steps "
                     "(0 = only at the end); the data stream is not restarted.")
flags.DEFINE_string("json", "", "Also write the JSON summary to this file.")
flags.DEFINE_bool("overwrite", False, "Replace an existing --json file and grids in --out.")
FLAGS = flags.FLAGS


def config(seed):
    from tfgen import config as config_lib

    c = config_lib.base_config("infogan")
    c.seed = seed
    c.data.name, c.data.batch_size = "mnist", FLAGS.batch_size
    c.net.latent_dim = 74
    config_lib.set_network(c, "generator", "infogan_generator", width=FLAGS.width,
                           hidden=FLAGS.hidden)
    config_lib.set_network(c, "discriminator", "infogan_discriminator", width=FLAGS.width,
                           hidden=FLAGS.hidden, q_hidden=min(64, FLAGS.hidden),
                           categorical=10, continuous=2)
    c.optim.g_lr, c.optim.d_lr = FLAGS.g_lr, FLAGS.d_lr
    return c


def code_accuracy(model, images, labels):
    from scipy.optimize import linear_sum_assignment

    pred = model.predict_codes(images)
    counts = np.zeros((model.categorical, 10))
    np.add.at(counts, (pred, labels), 1)
    rows, cols = linear_sum_assignment(-counts)
    return float(counts[rows, cols].sum() / len(labels)), dict(
        zip(map(int, rows), map(int, cols)))


def bound(model, num=2000):
    import tensorflow as tf

    latents, labels = model.draw_codes(tf.constant(num), tf.constant([12345, 0]))
    fake, codes = model.generate_from(latents, labels)
    return float(model.information(codes, model.discriminator(fake))[1])


def traversal_grid(model, path, seed):
    """Rows: code k = 0..9 (continuous codes 0); then each continuous code
    swept over −1..1 for a fixed noise and category."""
    from tfgen import images
    from tfgen.models.infogan import code_latent

    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(1, model.noise_dim)).astype("float32")
    cols, rows = 10, []
    for k in range(model.categorical):
        z = np.concatenate([rng.normal(size=(cols, model.noise_dim)),
                            np.zeros((cols, model.continuous))], 1).astype("float32")
        rows.append((z, np.full(cols, k, np.int32)))
    values = code_latent(np.linspace(-1, 1, cols))
    for j in range(model.continuous):
        for k in (1, 7):
            u = np.zeros((cols, model.continuous))
            u[:, j] = values
            z = np.concatenate([np.repeat(noise, cols, 0), u], 1).astype("float32")
            rows.append((z, np.full(cols, k, np.int32)))
    gen = model.code_generator()
    pics = np.concatenate([gen([z, y]).numpy() for z, y in rows])
    images.save_png(path, images.grid(pics, ncols=cols))


def batch_stats_accuracy(model, images, labels, batch_size=500):
    """Code accuracy with D's batch norm on each real batch's own statistics.

    D's moving averages are updated on real and generated batches alike (two
    of every three D calls see generated images), so Q in inference mode reads
    real digits through mostly-fake statistics. Run last: it moves them.
    """
    from scipy.optimize import linear_sum_assignment

    pred = np.concatenate([np.argmax(model.discriminator(images[i:i + batch_size],
                                                         training=True)[1], axis=-1)
                           for i in range(0, len(images), batch_size)])
    counts = np.zeros((model.categorical, 10))
    np.add.at(counts, (pred, labels), 1)
    rows, cols = linear_sum_assignment(-counts)
    return float(counts[rows, cols].sum() / len(labels))


def run_seed(seed, x_test, y_test):
    import keras

    from tfgen import builders, data

    c = config(seed)
    keras.utils.set_random_seed(seed)
    info = data.info_for("images", "mnist", FLAGS.data_dir)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make("images", "mnist", c.data.batch_size, data_dir=FLAGS.data_dir, seed=seed)
    every = FLAGS.eval_every if 0 < FLAGS.eval_every < FLAGS.steps else FLAGS.steps
    if FLAGS.steps % every:
        raise ValueError("--steps must be a multiple of --eval_every")
    curve = []

    class Curve(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if (epoch + 1) * every < FLAGS.steps:
                acc = round(code_accuracy(model, x_test, y_test)[0], 4)
                curve.append([(epoch + 1) * every, acc])
                print(json.dumps({"seed": seed, "step": (epoch + 1) * every,
                                  "code_accuracy": acc}), file=sys.stderr, flush=True)

    start = time.time()
    model.fit(ds, steps_per_epoch=every, epochs=FLAGS.steps // every, verbose=0,
              callbacks=[Curve()])
    wall = time.time() - start
    acc, matching = code_accuracy(model, x_test, y_test)
    curve.append([FLAGS.steps, round(acc, 4)])
    out = {"seed": seed, "code_accuracy": round(acc, 4), "mi_categorical": round(bound(model), 4),
           "train_wall_s": round(wall, 1), "code_to_class": matching, "curve": curve}
    if FLAGS.out:
        os.makedirs(FLAGS.out, exist_ok=True)
        path = grid_path(seed)
        traversal_grid(model, path, seed)
        out["grid"] = path
    out["code_accuracy_batch_stats"] = round(batch_stats_accuracy(model, x_test, y_test), 4)
    print(json.dumps(out), file=sys.stderr, flush=True)
    return out


def grid_path(seed):
    return os.path.join(FLAGS.out, f"infogan_traversal_seed{seed}.png")


def main(argv):
    del argv
    from tfgen import data

    refuse_existing(FLAGS.json, FLAGS.overwrite, "--json")
    for s in FLAGS.seeds if FLAGS.out else ():
        refuse_existing(grid_path(int(s)), FLAGS.overwrite)

    x_test, y_test = data.load_arrays("mnist", "test", FLAGS.data_dir)
    runs = [run_seed(int(s), x_test, y_test) for s in FLAGS.seeds]
    accs = [r["code_accuracy"] for r in runs]
    text = json.dumps({
        "command": "bench/infogan.py " + " ".join(sys.argv[1:]),
        "steps": FLAGS.steps, "batch_size": FLAGS.batch_size, "width": FLAGS.width,
        "hidden": FLAGS.hidden, "g_lr": FLAGS.g_lr, "d_lr": FLAGS.d_lr,
        "runs": runs, "mean_code_accuracy": round(float(np.mean(accs)), 4),
        "runs_above_80pct": int(sum(a >= 0.8 for a in accs)), "num_runs": len(runs),
        "mi_ceiling_ln10": round(float(np.log(10)), 4)}, indent=1)
    print(text)
    if FLAGS.json:
        write_text(FLAGS.json, text + "\n")


if __name__ == "__main__":
    cli.run(cli.one_line_errors(main))
