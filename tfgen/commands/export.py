"""Export the generator of a training directory's latest checkpoint.

    tfgen-export --workdir=runs/demo [--out=runs/demo/export] [--overwrite]

``--overwrite`` replaces only a previous export: never the training
directory itself, a folder that contains it, or a folder holding other files.
"""

import os

from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_string("workdir", None, "A tools/train.py --workdir.")
flags.DEFINE_string("out", None, "Export directory (default: WORKDIR/export).")
flags.DEFINE_bool("overwrite", False, "Replace an existing export (only an export).")
flags.mark_flags_as_required(["workdir"])
FLAGS = flags.FLAGS


def check_out_outside_workdir(out: str, workdir: str) -> None:
    """Refuses an --out whose replacement would delete the training directory."""
    out_real, work_real = os.path.realpath(out), os.path.realpath(workdir)
    if out_real == work_real or work_real.startswith(out_real.rstrip(os.sep) + os.sep):
        raise ValueError(
            f"--out={out} is the training directory or contains it, and exporting "
            f"there would delete its checkpoints; use --out={os.path.join(workdir, 'export')}"
            " (the default) or a new folder")


@cli.one_line_errors
def main(argv):
    del argv
    out = FLAGS.out or os.path.join(FLAGS.workdir, "export")
    check_out_outside_workdir(out, FLAGS.workdir)
    from tfgen import export, trainer

    # Before the restore, which builds the model and takes a while; the
    # export checks again when it writes.
    export.check_destination(os.path.abspath(out), FLAGS.overwrite)
    model, config = trainer.restore(FLAGS.workdir)
    trainer.export_model(model, config, out, overwrite=FLAGS.overwrite)


def run():
    """The ``tfgen-export`` console script (and ``python tools/export.py``)."""
    commands.start(main)
