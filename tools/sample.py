"""Draw samples from an exported generator (no training code needed).

    python tools/sample.py --model=runs/demo/export --num=64 --out=grid.png [--seed=0]
    python tools/sample.py --model=runs/demo/export --num=1000 --format=npz --out=s.npz
    python tools/sample.py --model=runs/demo/export --interpolate --seed=1 --seed2=2 \
        --num=10 --out=walk.png
"""

import os

import numpy as np
from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_string("model", None, "Exported generator directory.")
flags.DEFINE_integer("num", 64, "Number of samples (steps when interpolating).")
flags.DEFINE_string("out", None, "Output file (.png or .npz).")
flags.DEFINE_integer("seed", 0, "Seed of the latents.")
flags.DEFINE_enum("format", "png", ["png", "npz"], "Output format.")
flags.DEFINE_bool("interpolate", False, "Walk the latent space from --seed to --seed2.")
flags.DEFINE_integer("seed2", 1, "End seed of the interpolation.")
flags.DEFINE_bool("overwrite", False, "Replace an existing output file.")
flags.mark_flags_as_required(["model", "out"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import export, images, sampling

    if os.path.exists(FLAGS.out) and not FLAGS.overwrite:
        raise FileExistsError(f"{FLAGS.out} exists; pass --overwrite to replace it")
    if FLAGS.num <= 0:
        raise ValueError(f"--num must be positive, got {FLAGS.num}")
    module = export.load_generator(FLAGS.model)
    if FLAGS.interpolate:
        x = sampling.interpolate(module, FLAGS.seed, FLAGS.seed2, FLAGS.num)
    else:
        x = sampling.draw(module, FLAGS.num, FLAGS.seed)
    if FLAGS.format == "npz":
        np.savez_compressed(FLAGS.out, images=x)
    else:
        ncols = FLAGS.num if FLAGS.interpolate else None
        pic = images.picture(x, ncols=ncols) if x.ndim == 4 else images.picture(x)
        images.save_png(FLAGS.out, pic)
    print(f"Wrote {len(x)} samples to {FLAGS.out}")


if __name__ == "__main__":
    cli.run(main)
