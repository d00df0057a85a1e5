"""Train the project's MNIST or Fashion-MNIST classifier (fixed seeds).

    tfgen-train-classifier --dataset=mnist --data_dir=../shared/data
    tfgen-train-classifier --dataset=fashion_mnist --data_dir=../shared/data

Writes saved_models/classifiers/<dataset>.keras and <dataset>.json (test
accuracy, epochs, seed, command).
"""

import json
import os
import sys

from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_enum("dataset", "mnist", ["mnist", "fashion_mnist"], "Dataset.")
flags.DEFINE_string("data_dir", None, "Folder with the IDX files (default $TFGEN_DATA_DIR).")
flags.DEFINE_integer("epochs", 6, "Training epochs.")
flags.DEFINE_integer("seed", 0, "Seed.")
flags.DEFINE_bool("augment", True, "Random shifts of up to 2 pixels.")
flags.DEFINE_string("out_dir", None, "Output folder (default: the one the metrics read, "
                    "saved_models/classifiers in a checkout).")
FLAGS = flags.FLAGS


def invocation() -> str:
    """How the tool was started: ``python tools/...py`` or the console script."""
    prog = sys.argv[0]
    return f"python {prog}" if prog.endswith(".py") else os.path.basename(prog)


@cli.one_line_errors
def main(argv):
    del argv
    import keras

    from tfgen import classifiers, data
    from tfgen.networks.classifier import small_cnn

    keras.utils.set_random_seed(FLAGS.seed)
    x, y = data.load_arrays(FLAGS.dataset, "train", FLAGS.data_dir)
    xt, yt = data.load_arrays(FLAGS.dataset, "test", FLAGS.data_dir)
    model = small_cnn()
    steps = FLAGS.epochs * (len(x) // 128)
    model.compile(keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, steps)),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    import tensorflow as tf
    ds = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(60000, seed=FLAGS.seed)
          .batch(128, drop_remainder=True))
    if FLAGS.augment:
        aug = keras.Sequential([keras.layers.RandomTranslation(0.07, 0.07, seed=FLAGS.seed)])
        ds = ds.map(lambda a, b: (aug(a, training=True), b))
    ds = ds.prefetch(2)
    model.fit(ds, epochs=FLAGS.epochs, verbose=2)
    _, acc = model.evaluate(xt, yt, batch_size=1000, verbose=0)
    out = FLAGS.out_dir or classifiers.ROOT
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{FLAGS.dataset}.keras")
    model.save(path)
    meta = {"dataset": FLAGS.dataset, "test_accuracy": round(float(acc), 5),
            "test_examples": int(len(xt)), "epochs": FLAGS.epochs, "seed": FLAGS.seed,
            "augment": FLAGS.augment,
            "command": " ".join([invocation(), *sys.argv[1:]])}
    with open(os.path.join(out, f"{FLAGS.dataset}.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(json.dumps(meta))


def run():
    """The ``tfgen-train-classifier`` console script (and ``python
    tools/train_classifier.py``)."""
    commands.start(main)
