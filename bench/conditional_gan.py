"""cGAN and AC-GAN on MNIST / Fashion-MNIST: is the requested class there?

    .venv/bin/python bench/conditional_gan.py --config=acgan_mnist --seeds=0,1,2 \
        --steps=4000 --data_dir=../shared/data

Trains ``configs/<config>.py`` once per seed, with what a CPU budget of a
few minutes needs overridden: steps, network width, Adam's learning rate
(5e-4 instead of the recipe's 2e-4) and an EMA of the generator's weights
(decay 0.99; Yazıcı et al. 2019) — the values ``configs/acgan_mnist.py``
itself carries, so ``--steps=4000`` trains that config unchanged — then draws ``--per_class`` samples of every class
from the averaged generator and reads them with the project's classifier
(``tfgen.classifiers``, not Inception):

* class accuracy, overall and per class (``tfgen.metrics.conditional``);
* FCD: Fréchet distance of classifier features, samples (class-balanced)
  against as many test images, and the mean intra-class FCD;
* per-class diversity: mean pairwise feature distance of each class's
  samples over that of the class's test images (1 = as varied as the data);
* wall-clock training time and the test images' own accuracy for reference;
* with ``--fid_samples=N`` (off by default), Inception FID (the project's FID
  Inception network, ``tfgen.metrics.inception``) of N class-balanced samples
  against N class-balanced test images, and the seconds it took. On the
  shared 2-core CPU the network read 1.8 images/s, so 10,000 + 10,000 images
  are about 3 hours per run: an accelerator's job (docs/benchmarks/conditional_gans.md).

One JSON object out (also written to ``--out``), with the command line.
"""

import importlib.util
import json
import os
import sys
import tempfile
import time

import numpy as np
from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

from tfgen import classifiers, data, trainer  # noqa: E402
from tfgen.atomic_write import refuse_existing, write_text  # noqa: E402
from tfgen.metrics import frechet_distance_from_activations  # noqa: E402
from tfgen.metrics import conditional as cm  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
flags.DEFINE_string("config", "acgan_mnist", "A configs/ file name without .py.")
flags.DEFINE_list("seeds", ["0"], "Seeds, one run each.")
flags.DEFINE_integer("steps", 2000, "Training steps per run (configs: 5,000).")
flags.DEFINE_integer("width", 32, "Width of both DCGAN networks (configs: 64).")
flags.DEFINE_float("lr", 5e-4, "Adam learning rate of both players (configs: 2e-4).")
flags.DEFINE_float("ema_decay", 0.99, "Generator weight EMA (configs: 0, none).")
flags.DEFINE_integer("per_class", 500, "Samples drawn per class.")
flags.DEFINE_integer("fid_samples", 0, "Inception FID on this many samples and test "
                     "images, class-balanced (0 = off; slow on a CPU).")
flags.DEFINE_string("loss", "", "Adversarial loss override (default: the config's).")
flags.DEFINE_float("aux_weight", -1.0, "AC-GAN class-loss weight override (default: the config's).")
flags.DEFINE_string("data_dir", None, "Folder with mnist/, fashion-mnist/.")
flags.DEFINE_string("out", "", "Also write the JSON here.")
flags.DEFINE_bool("overwrite", False, "Replace an existing --out file.")
FLAGS = flags.FLAGS


def load_config(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "configs",
                                                                     name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def evaluate(model, classifier, real, seed):
    """The figures of one trained model (see module docstring)."""
    k = model.num_classes
    labels = np.repeat(np.arange(k, dtype=np.int32), FLAGS.per_class)
    images = np.concatenate([model.generate(labels[i:i + 1000], seed=seed + i).numpy()
                             for i in range(0, len(labels), 1000)])
    feats, probs = classifier.features_and_probs(images)
    real_x, real_y = real
    real_feats, real_probs = classifier.features_and_probs(real_x)
    acc = cm.class_accuracy(probs, labels)
    return {
        "class_accuracy": acc["overall"],
        "class_accuracy_per_class": [round(a, 4) for a in acc["per_class"]],
        "fcd": frechet_distance_from_activations(real_feats, feats),
        "intra_fcd_mean": cm.intra_class_frechet(feats, labels, real_feats,
                                                 real_y)["mean"],
        "diversity_per_class": [round(d, 4) for d in cm.class_diversity(
            feats, labels, real_feats, real_y)["per_class"]],
        "diversity_mean": cm.class_diversity(feats, labels, real_feats, real_y)["mean"],
        "real_test_accuracy": cm.class_accuracy(real_probs, real_y)["overall"],
    }


def inception_fid(model, x, y, num, seed):
    """FID (pool_3 of the FID Inception network) of ``num`` class-balanced
    samples against ``num`` class-balanced test images; (fid, seconds)."""
    from tfgen.metrics import inception

    k = model.num_classes
    per = -(-num // k)
    labels = np.repeat(np.arange(k, dtype=np.int32), per)[:num]
    rows = np.concatenate([np.flatnonzero(y == c)[:per] for c in range(k)])[:num]
    start = time.time()
    net = inception.fid_inception()
    fake = np.concatenate([model.generate(labels[i:i + 1000], seed=seed + i).numpy()
                           for i in range(0, len(labels), 1000)])
    fid = frechet_distance_from_activations(inception.fid_features(net, x[rows]),
                                            inception.fid_features(net, fake))
    return fid, round(time.time() - start, 1)


def main(argv):
    del argv
    refuse_existing(FLAGS.out, FLAGS.overwrite)
    base = load_config(FLAGS.config)
    dataset = base.data.name
    classifier = classifiers.load(dataset)
    x, y = data.load_arrays(dataset, "test", FLAGS.data_dir)
    # A class-balanced real set as large as the samples.
    rows = np.concatenate([np.flatnonzero(y == c)[:FLAGS.per_class]
                           for c in range(int(y.max()) + 1)])
    real = (x[rows], y[rows])
    runs = []
    for seed in [int(s) for s in FLAGS.seeds]:
        c = load_config(FLAGS.config)
        c.seed = seed
        c.data.data_dir = FLAGS.data_dir or ""
        c.train.steps = FLAGS.steps
        c.train.checkpoint_every = c.train.sample_every = FLAGS.steps
        c.export.enabled = False
        c.optim.g_lr = c.optim.d_lr = FLAGS.lr
        c.model.ema_decay = FLAGS.ema_decay
        if FLAGS.loss:
            c.model.loss = FLAGS.loss
        if FLAGS.aux_weight >= 0:
            c.model.aux_weight = FLAGS.aux_weight
        for slot in ("generator", "discriminator"):
            c.net[slot].width = FLAGS.width
        with tempfile.TemporaryDirectory() as work:
            start = time.time()
            model = trainer.run(c, work, verbose=0)
            train_s = time.time() - start
        result = evaluate(model, classifier, real, seed=10_000 * (seed + 1))
        if FLAGS.fid_samples:
            result["fid"], result["fid_seconds"] = inception_fid(
                model, x, y, FLAGS.fid_samples, seed=20_000 * (seed + 1))
            result["fid_samples"] = FLAGS.fid_samples
        result.update(seed=seed, train_seconds=round(train_s, 1))
        runs.append(result)
        print(json.dumps(result), file=sys.stderr, flush=True)
    keys = ("class_accuracy", "fcd", "intra_fcd_mean", "diversity_mean")
    summary = {k: {"mean": float(np.mean([r[k] for r in runs])),
                   "min": float(np.min([r[k] for r in runs])),
                   "max": float(np.max([r[k] for r in runs]))} for k in keys}
    out = {"command": " ".join(["bench/conditional_gan.py"] + sys.argv[1:]),
           "config": FLAGS.config, "method": base.method, "dataset": dataset,
           "steps": FLAGS.steps, "batch_size": base.data.batch_size,
           "width": FLAGS.width, "lr": FLAGS.lr, "ema_decay": FLAGS.ema_decay,
           "loss": FLAGS.loss or base.model.loss,
           "aux_weight": (FLAGS.aux_weight if FLAGS.aux_weight >= 0
                          else base.model.get("aux_weight")),
           "discriminator": dict(base.net.discriminator),
           "per_class": FLAGS.per_class, "summary": summary, "runs": runs}
    text = json.dumps(out, indent=1)
    print(text)
    if FLAGS.out:
        write_text(FLAGS.out, text + "\n")


if __name__ == "__main__":
    cli.run(cli.one_line_errors(main))
