"""Train a tfgen model from a config file; rerun the same command to resume.

    tfgen-train --config=configs/dcgan_mnist5k.py --workdir=runs/dcgan \
        [--config.train.steps=1000 ...] [--overwrite]

A rerun continues from the newest good checkpoint; it may change learning
rates, train.steps and the logging, sampling, checkpoint and evaluation
frequencies (see tfgen.resume). ``--overwrite`` discards the workdir's
previous run (only the files training wrote) and starts from step 0.
On a cluster, every worker runs the same command with its own TF_CONFIG
(``--strategy=auto`` then picks MultiWorkerMirroredStrategy).
"""

from absl import flags
from ml_collections import config_flags

from tfgen import cli, commands

cli.quiet_tensorflow()

config_flags.DEFINE_config_file("config", None, "Experiment config file.",
                                lock_config=True)
flags.DEFINE_string("workdir", None, "Directory for checkpoints, logs, samples, export.")
flags.DEFINE_bool("overwrite", False,
                  "Discard the workdir's previous run (its checkpoints, logs, samples "
                  "and export; nothing else) and start again from step 0.")
flags.DEFINE_enum("strategy", "auto", ["auto", "mirrored", "multi_worker", "tpu", "one_device"],
                  "auto: multi-worker when TF_CONFIG names several workers, mirrored "
                  "over the local GPUs otherwise (see BUILD.md, 'Several machines').")
flags.mark_flags_as_required(["config", "workdir"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import config as config_lib
    from tfgen import distribute

    config_lib.check(FLAGS.config)  # before TensorFlow splits any device
    # Must precede the first TensorFlow op.
    distribute.split_cpu(FLAGS.config.train.cpu_replicas)
    from tfgen import trainer

    trainer.run(FLAGS.config, FLAGS.workdir, restart=FLAGS.overwrite,
                strategy=FLAGS.strategy)


def run():
    """The ``tfgen-train`` console script (and ``python tools/train.py``)."""
    commands.start(main)
