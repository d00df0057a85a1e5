"""Complete occluded test images with exported generators (CoopNets Sec. 5.1).

    tfgen-inpaint --models=runs/coopnets/export,runs/dcgan/export \
        --dataset=mnist --data_dir=../shared/data --mask=square:10 --num=100 \
        --out=completions.png

Prints JSON: the recovery error of each model and of two fill-in baselines.
Each export needs a ``sample`` part with latents (tfgen.export_parts).
"""

import json

import numpy as np
from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_list("models", None, "Exported generators to invert.")
flags.DEFINE_string("dataset", "mnist", "Dataset of the test images.")
flags.DEFINE_string("data_dir", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_string("split", "test", "Split of the images.")
flags.DEFINE_string("mask", "square:10", "Mask: square:SIZE.")
flags.DEFINE_integer("num", 100, "Test images.")
flags.DEFINE_integer("steps", 1000, "Langevin steps.")
flags.DEFINE_float("step_size", 0.05, "Langevin step size.")
flags.DEFINE_integer("seed", 0, "Seed of the masks and the chains.")
flags.DEFINE_string("out", None, "Optional PNG: rows of originals, masked, completions.")
flags.mark_flags_as_required(["models"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import data, export, images, inpainting

    kind, _, size = FLAGS.mask.partition(":")
    if kind != "square" or not size.isdigit():
        raise ValueError(f"--mask must look like square:SIZE, got {FLAGS.mask!r}")
    x = data.load_arrays(FLAGS.dataset, FLAGS.split, FLAGS.data_dir)[0][:FLAGS.num]
    masks = inpainting.square_masks(len(x), x.shape[1:], int(size), FLAGS.seed)
    gens = {}
    for path in FLAGS.models:
        module = export.load(path).part(
            "sample", "tools/inpaint.py needs a generator with latents to invert")
        width = int(module.latent_dim.numpy())
        if width == 0:
            raise ValueError(f"{path} samples by Langevin dynamics without latents; "
                             "tools/inpaint.py needs a generator with latents to invert")
        gens[path] = (module, width)
    results, done = inpainting.compare(x, masks, gens, FLAGS.steps, FLAGS.step_size,
                                       seed=FLAGS.seed)
    rows = [x[:8], (x * masks - (1 - masks))[:8]] + [done[p][:8] for p in FLAGS.models]
    if FLAGS.out:
        images.save_png(FLAGS.out, images.grid(np.concatenate(rows), ncols=8))
    print(json.dumps({"mask": FLAGS.mask, "num_images": len(x), "steps": FLAGS.steps,
                      "recovery_error": results}, indent=1))


def run():
    """The ``tfgen-inpaint`` console script (and ``python tools/inpaint.py``)."""
    commands.start(main)
