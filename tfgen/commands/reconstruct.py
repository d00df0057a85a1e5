"""Sample-wise reconstruction of a CTRL / CoA-CTRL model: x against g(f(x)).

    tfgen-reconstruct --workdir=runs/coa_ctrl --num=16 --out=recon.png

Writes a PNG of held-out images (first row: originals, second row: their
reconstructions g(f(x))) and prints JSON with the mean squared error and the
PSNR over --num_eval images. Images are in [-1, 1], so the PSNR uses the
peak-to-peak range 2.0: PSNR = 10 log10(2² / MSE).
"""

import json

import numpy as np
from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_string("workdir", None, "Training directory of a ctrl/coa_ctrl run.")
flags.DEFINE_integer("num", 16, "Images in the PNG.")
flags.DEFINE_integer("num_eval", 1000, "Images for MSE and PSNR.")
flags.DEFINE_string("split", "test", "Split of the held-out images.")
flags.DEFINE_string("out", None, "PNG path (optional).")
flags.mark_flags_as_required(["workdir"])
FLAGS = flags.FLAGS
PEAK_TO_PEAK = 2.0


@cli.one_line_errors
def main(argv):
    del argv
    if FLAGS.num <= 0 or FLAGS.num_eval < FLAGS.num:
        raise ValueError(f"need 0 < --num <= --num_eval, got {FLAGS.num} and {FLAGS.num_eval}")
    from tfgen import closed_loop, images

    model, _, x = closed_loop.restore_with_images(FLAGS.workdir, FLAGS.split, FLAGS.num_eval)
    recon = np.concatenate([model.generator(model.encode(x[i:i + 250], False),
                                            training=False).numpy()
                            for i in range(0, len(x), 250)])
    mse = float(np.mean((x - recon) ** 2))
    if FLAGS.out:
        n = min(FLAGS.num, len(x))
        images.save_png(FLAGS.out, images.grid(np.concatenate([x[:n], recon[:n]]), ncols=n))
    print(json.dumps({"images": len(x), "split": FLAGS.split, "mse": mse,
                      "psnr_db": float(10 * np.log10(PEAK_TO_PEAK ** 2 / mse)),
                      "psnr_peak_to_peak": PEAK_TO_PEAK}, indent=1))


def run():
    """The ``tfgen-reconstruct`` console script (and ``python tools/reconstruct.py``)."""
    commands.start(main)
