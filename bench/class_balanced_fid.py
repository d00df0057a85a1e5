"""Does matching the class proportions lower a generator's FID? An oracle check.

    .venv/bin/python bench/class_balanced_fid.py --model=<workdir>/export \
        --dataset=mnist --data_dir=../shared/data --out=<out>.json

Draws a pool of ``--pool`` samples, classifies them with the project
classifier, and scores two sets of ``--num`` samples against the first
``--num`` test images with the FID Inception network: the first ``--num``
samples of the pool as drawn, and the pool resampled (the first samples of
each class, none used twice) so that its classes have the test set's label
proportions. The second uses labels, so it is a diagnosis, not a sampler: if
it scores much lower, the class proportions are what FID penalises; if not,
the gap lies within the classes. Prints the JSON and writes it to ``--out``
(refused if it exists, unless ``--overwrite``).
"""

import os
import sys
import time

import numpy as np
from absl import flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tfgen import cli  # noqa: E402

cli.quiet_tensorflow()

FLAGS = flags.FLAGS


def define_flags():
    """The script's flags (defined when run, so tests can import its functions)."""
    flags.DEFINE_string("model", None, "Export directory of an unconditional generator.")
    flags.DEFINE_string("dataset", "mnist", "Dataset with a project classifier and labels.")
    flags.DEFINE_string("data_dir", None, "Data folder.")
    flags.DEFINE_integer("num", 2000, "Samples in each scored set, and test images.")
    flags.DEFINE_integer("pool", 4000, "Samples drawn to resample from.")
    flags.DEFINE_integer("seed", 0, "Sampling seed.")
    flags.DEFINE_string("out", None, "JSON to write.")
    flags.DEFINE_bool("overwrite", False, "Replace --out.")
    flags.mark_flags_as_required(["model", "out"])


def balanced_pick(classes, freq, num):
    """Indices of ``num`` samples whose classes follow ``freq``: the first of each
    class in pool order, largest-remainder rounding; an error if the pool is short."""
    want = np.floor(freq * num).astype(int)
    rest = np.argsort(-(freq * num - want), kind="stable")[:num - want.sum()]
    want[rest] += 1
    have = np.bincount(classes, minlength=len(freq))
    short = [c for c in range(len(freq)) if have[c] < want[c]]
    if short:
        raise ValueError(f"the pool has too few samples of classes {short} "
                         f"({[int(have[c]) for c in short]} < {[int(want[c]) for c in short]}); "
                         "raise --pool")
    return np.concatenate([np.flatnonzero(classes == c)[:want[c]] for c in range(len(freq))])


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import atomic_write, classifiers, data, evaluation, export
    from tfgen.metrics import frechet, inception

    atomic_write.refuse_existing(FLAGS.out, FLAGS.overwrite)
    if FLAGS.pool < FLAGS.num:
        raise ValueError(f"--pool ({FLAGS.pool}) must be at least --num ({FLAGS.num})")
    start = time.time()
    part = export.load(evaluation.resolve_export(FLAGS.model)).part("sample", "an unconditional generator")
    sample = evaluation.sampler(part)
    pool = np.concatenate([sample(min(500, FLAGS.pool - i), FLAGS.seed * 100003 + i)
                           for i in range(0, FLAGS.pool, 500)])
    classes = classifiers.load(FLAGS.dataset).features_and_probs(pool)[1].argmax(1)
    x, y = data.load_arrays(FLAGS.dataset, "test", FLAGS.data_dir)
    freq = np.bincount(y, minlength=classes.max() + 1) / len(y)
    pick = balanced_pick(classes, freq, FLAGS.num)
    model = inception.fid_inception()
    real = inception.fid_features(model, x[:FLAGS.num])
    fake = inception.fid_features(model, pool)
    k = len(freq)
    out = {"benchmark": "class_balanced_fid", "model": FLAGS.model, "dataset": FLAGS.dataset,
           "num": FLAGS.num, "pool": FLAGS.pool, "seed": FLAGS.seed,
           "fid_as_drawn": frechet.frechet_distance_from_activations(real, fake[:FLAGS.num]),
           "fid_class_balanced": frechet.frechet_distance_from_activations(real, fake[pick]),
           "class_freq_as_drawn": (np.bincount(classes[:FLAGS.num], minlength=k)
                                   / FLAGS.num).round(4).tolist(),
           "class_freq_test": freq.round(4).tolist(),
           "wall_time_s": round(time.time() - start, 1),
           "command": " ".join([".venv/bin/python bench/class_balanced_fid.py"] + sys.argv[1:])}
    print(atomic_write.write_json(FLAGS.out, out, sort_keys=False))


if __name__ == "__main__":
    define_flags()
    cli.run(main)
