"""Train a config for a fixed budget, then print its quality metrics as JSON.

    .venv/bin/python bench/quality.py --config=configs/dcgan_mnist.py \
        --workdir=runs/q_dcgan --steps=2000 --metrics=fcd,kid,cs,pr \
        --data_dir=../shared/data

Trains from step 0, so the budget is the one asked for: a workdir that already
holds a run is refused unless ``--overwrite``, which discards that run (its own
files only, as tools/train.py --overwrite). The JSON holds the config name,
steps, metrics with sample counts, and the command.
"""

import contextlib
import json
import os
import sys

from absl import flags
from ml_collections import config_flags

from tfgen import cli

cli.quiet_tensorflow()

config_flags.DEFINE_config_file("config", None, "Experiment config.", lock_config=True)
flags.DEFINE_string("workdir", None, "Training directory.")
flags.DEFINE_integer("steps", 0, "Training steps (0 = the config's).")
flags.DEFINE_list("metrics", ["fcd", "kid", "cs"], "Metrics (tfgen.evaluation.METRICS).")
flags.DEFINE_integer("num_samples", 5000, "Generated samples for the metrics.")
flags.DEFINE_string("data_dir", None, "Data folder.")
flags.DEFINE_integer("fid_num_real", None, "Real images behind FID (default: the whole split).")
flags.DEFINE_bool("overwrite", False, "Discard a run already in --workdir and train from 0.")
flags.mark_flags_as_required(["config", "workdir"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import evaluation, trainer

    if os.path.exists(os.path.join(FLAGS.workdir, "config.json")) and not FLAGS.overwrite:
        raise FileExistsError(f"--workdir={FLAGS.workdir} holds a run; pass --overwrite to "
                              "discard it and train from step 0, or name another folder")
    config = FLAGS.config
    if FLAGS.steps:
        config.train.steps = FLAGS.steps
        config.train.checkpoint_every = min(config.train.checkpoint_every, FLAGS.steps)
        if FLAGS.steps % config.train.checkpoint_every:
            config.train.checkpoint_every = FLAGS.steps
    if FLAGS.data_dir:
        config.data.data_dir = FLAGS.data_dir
    with contextlib.redirect_stdout(sys.stderr):  # stdout: the JSON only
        trainer.run(config, FLAGS.workdir, restart=FLAGS.overwrite, verbose=2)
    result = evaluation.evaluate(os.path.join(FLAGS.workdir, "export"), config.data.name,
                                 FLAGS.metrics, FLAGS.num_samples, config.data.data_dir or None,
                                 fid_num_real=FLAGS.fid_num_real)
    result.update(benchmark="quality", method=config.method, steps=config.train.steps,
                  command=" ".join([".venv/bin/python bench/quality.py"] + sys.argv[1:]))
    print(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    cli.run(main)
