"""Train a tfgen model from a config file; rerun the same command to resume.

    python tools/train.py --config=configs/dcgan_mnist5k.py --workdir=runs/dcgan \
        [--config.train.steps=1000 ...] [--overwrite]
"""

from absl import flags
from ml_collections import config_flags

from tfgen import cli

cli.quiet_tensorflow()

config_flags.DEFINE_config_file("config", None, "Experiment config file.",
                                lock_config=True)
flags.DEFINE_string("workdir", None, "Directory for checkpoints, logs, samples, export.")
flags.DEFINE_bool("overwrite", False, "Replace an existing export.")
flags.mark_flags_as_required(["config", "workdir"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import distribute

    # Must precede the first TensorFlow op.
    distribute.split_cpu(FLAGS.config.train.cpu_replicas)
    from tfgen import trainer

    trainer.run(FLAGS.config, FLAGS.workdir, overwrite_export=FLAGS.overwrite)


if __name__ == "__main__":
    cli.run(main)
