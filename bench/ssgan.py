"""Semi-supervised GAN on MNIST with 100 labels, beside its classifier alone.

    .venv/bin/python bench/ssgan.py --seeds=0,1,2 --steps=6000 --data_dir=../shared/data

(6,000 steps, 10 epochs of the unlabelled data, is the benchmark budget:
docs/benchmarks/infogan_ssgan.md.)

For each seed: the class-balanced 100 labels (10 per class) chosen from the
seed (``data.labelled_examples``), then three runs of the same
discriminator network (a CPU-sized ``ssgan_discriminator``: ``--hidden``,
Gaussian noise 0.3 / 0.5) for ``--steps`` steps each:

* ``ssgan``: the semi-supervised GAN (Salimans et al. 2016; feature
  matching), labelled batches from the 100 labels, unlabelled from all
  60,000 training images;
* ``labels_only``: the same network trained as a classifier on the same
  100 labelled examples alone (cross-entropy, same optimizer and steps);
* ``all_labels``: the same classifier on all 60,000 labels.

Reports the test error on the 10,000 MNIST test digits per run and the
means, as JSON on stdout (per-run lines on stderr).
"""

import json
import sys
import time

import numpy as np
from absl import app, flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
flags.DEFINE_integer("steps", 6000, "Training steps of each run.")
flags.DEFINE_integer("batch_size", 100, "Batch size (each stream).")
flags.DEFINE_integer("labelled_examples", 100, "Labelled subset size (balanced).")
flags.DEFINE_list("hidden", ["500", "250", "250"], "Discriminator hidden widths.")
flags.DEFINE_list("g_hidden", ["250", "250"], "Generator hidden widths.")
flags.DEFINE_float("lr", 1e-3, "Adam learning rate (both players; beta1 0.5).")
flags.DEFINE_string("data_dir", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_list("runs", ["ssgan", "labels_only", "all_labels"], "Which runs.")
FLAGS = flags.FLAGS


def config(seed):
    from tfgen import config as config_lib

    c = config_lib.base_config("ssgan")
    c.seed = seed
    c.data.name, c.data.batch_size = "mnist", FLAGS.batch_size
    c.data.labelled_examples = FLAGS.labelled_examples
    config_lib.set_network(c, "generator", "ssgan_generator",
                           hidden=tuple(int(h) for h in FLAGS.g_hidden))
    config_lib.set_network(c, "discriminator", "ssgan_discriminator",
                           hidden=tuple(int(h) for h in FLAGS.hidden))
    c.optim.g_lr = c.optim.d_lr = FLAGS.lr
    return c


def test_error(classify, x, y):
    pred = np.concatenate([np.argmax(classify(x[i:i + 1000]), -1)
                           for i in range(0, len(x), 1000)])
    return float(np.mean(pred != y))


def run_ssgan(seed, x_test, y_test):
    import keras

    from tfgen import builders, data

    c = config(seed)
    keras.utils.set_random_seed(seed)
    info = data.info_for("semi_supervised", "mnist", FLAGS.data_dir,
                         labelled_examples=c.data.labelled_examples)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make("semi_supervised", "mnist", c.data.batch_size, data_dir=FLAGS.data_dir,
                   labelled_examples=c.data.labelled_examples, seed=seed)
    start = time.time()
    model.fit(ds, steps_per_epoch=FLAGS.steps, epochs=1, verbose=0)
    wall = time.time() - start
    return test_error(lambda b: model.classify(b).numpy(), x_test, y_test), wall


def run_classifier(seed, x_test, y_test, subset: bool):
    """The SSGAN's discriminator network as a plain classifier."""
    import keras
    import tensorflow as tf

    from tfgen import data
    from tfgen.networks.ssgan import ssgan_discriminator

    x, y = data.load_arrays("mnist", "train", FLAGS.data_dir)
    if subset:
        rows = data.labelled_subset(y, FLAGS.labelled_examples, seed)
        x, y = x[rows], y[rows]
    keras.utils.set_random_seed(seed)
    d = ssgan_discriminator(x.shape[1:], 10, hidden=tuple(int(h) for h in FLAGS.hidden))
    clf = keras.Model(d.inputs, d.outputs[0])
    clf.compile(keras.optimizers.Adam(FLAGS.lr, beta_1=0.5),
                keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ds = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed)
          .repeat().batch(FLAGS.batch_size))
    start = time.time()
    clf.fit(ds, steps_per_epoch=FLAGS.steps, epochs=1, verbose=0)
    wall = time.time() - start
    return test_error(lambda b: clf(b, training=False).numpy(), x_test, y_test), wall


def main(argv):
    del argv
    from tfgen import data

    x_test, y_test = data.load_arrays("mnist", "test", FLAGS.data_dir)
    runs = []
    for s in FLAGS.seeds:
        seed = int(s)
        for name in FLAGS.runs:
            if name == "ssgan":
                err, wall = run_ssgan(seed, x_test, y_test)
            else:
                err, wall = run_classifier(seed, x_test, y_test, subset=name == "labels_only")
            run = {"run": name, "seed": seed, "test_error": round(err, 4),
                   "train_wall_s": round(wall, 1)}
            print(json.dumps(run), file=sys.stderr, flush=True)
            runs.append(run)
    means = {name: round(float(np.mean([r["test_error"] for r in runs if r["run"] == name])), 4)
             for name in FLAGS.runs}
    print(json.dumps({
        "command": "bench/ssgan.py " + " ".join(sys.argv[1:]),
        "steps": FLAGS.steps, "batch_size": FLAGS.batch_size,
        "labelled_examples": FLAGS.labelled_examples, "hidden": FLAGS.hidden,
        "g_hidden": FLAGS.g_hidden, "lr": FLAGS.lr, "runs": runs,
        "mean_test_error": means}, indent=1))


if __name__ == "__main__":
    app.run(main)
