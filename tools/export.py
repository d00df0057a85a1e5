"""Export the generator of a training directory's latest checkpoint.

    python tools/export.py --workdir=runs/demo [--out=runs/demo/export] [--overwrite]
"""

import os

from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_string("workdir", None, "A tools/train.py --workdir.")
flags.DEFINE_string("out", None, "Export directory (default: WORKDIR/export).")
flags.DEFINE_bool("overwrite", False, "Replace an existing export.")
flags.mark_flags_as_required(["workdir"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import trainer

    out = FLAGS.out or os.path.join(FLAGS.workdir, "export")
    if os.path.exists(out) and not FLAGS.overwrite:
        raise FileExistsError(f"export path {out} already exists; pass "
                              "--overwrite to replace it or choose another --out")
    model, config = trainer.restore(FLAGS.workdir)
    trainer.export_model(model, config, out, overwrite=FLAGS.overwrite)


if __name__ == "__main__":
    cli.run(main)
