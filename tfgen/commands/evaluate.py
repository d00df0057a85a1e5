"""Evaluate an exported generator (or a training directory) and print JSON.

    tfgen-evaluate --model=runs/demo/export --dataset=mnist5k \
        --metrics=fcd,kid,cs,pr --num_samples=5000
    tfgen-evaluate --model=runs/demo/export --dataset=mnist \
        --metrics=fid --num_samples=10000   # after `make fid` (converts the weights once)
    tfgen-evaluate --model=runs/ring --dataset=ring8 --metrics=modes

Arguments are checked before anything is loaded, and the export's recorded
image shape against the dataset's before anything is computed (see
tfgen.evaluation).
"""

import json

from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_string("model", None, "Export directory or training directory.")
flags.DEFINE_string("dataset", None, "Dataset the real statistics come from.")
flags.DEFINE_list("metrics", ["fcd", "kid", "cs"], "Metrics (see tfgen.evaluation).")
flags.DEFINE_integer("num_samples", 5000, "Generated samples.")
flags.DEFINE_integer("seed", 0, "Sampling seed.")
flags.DEFINE_string("data_dir", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_string("split", None, "Real split (default: test where it exists).")
flags.DEFINE_integer("fid_num_real", None, "Real images behind FID (default: the whole split).")
flags.mark_flags_as_required(["model", "dataset"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import evaluation, sampling

    # With the flags' own names; evaluation.evaluate checks the rest (metrics,
    # seed range) before it loads anything too.
    sampling.check_num(FLAGS.num_samples, "--num_samples")
    sampling.check_seed(FLAGS.seed, "--seed")
    if FLAGS.fid_num_real is not None:
        sampling.check_num(FLAGS.fid_num_real, "--fid_num_real")
    result = evaluation.evaluate(FLAGS.model, FLAGS.dataset, FLAGS.metrics,
                                 FLAGS.num_samples, FLAGS.data_dir, FLAGS.seed,
                                 split=FLAGS.split, fid_num_real=FLAGS.fid_num_real)
    print(json.dumps(result, indent=1, sort_keys=True))


def run():
    """The ``tfgen-evaluate`` console script (and ``python tools/evaluate.py``)."""
    commands.start(main)
