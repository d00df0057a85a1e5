"""Image completion at the paper's three mask sizes, scaled to 28×28 (CoopNets Sec. 5.1).

    .venv/bin/python bench/inpainting.py --data_dir=../shared/data \
        --models=coopnets=runs/q/coopnets_mnist/export,dcgan=runs/q/dcgan_mnist/export

The paper occludes 64×64 faces with 20×20, 30×30 and 40×40 squares (M20,
M30, M40); the same fractions of a 28×28 side are 9, 13 and 18 pixels. For
each size, the same random masks on the first ``--num`` test images are
completed by every exported generator (latent inference, Step G1 of
Algorithm G on the observed pixels, ``--steps`` Langevin steps from N(0, I))
and by the two fill-in baselines. Prints one JSON object of recovery errors
(mean |difference| / pixel range on the occluded pixels) and the command.
"""

import json
import sys
import time

from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_list("models", None, "name=EXPORT_DIR pairs of generators to invert.")
flags.DEFINE_string("dataset", "mnist", "Dataset of the test images.")
flags.DEFINE_string("data_dir", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_list("sizes", ["9", "13", "18"], "Square mask sides (paper M20/M30/M40 at 28x28).")
flags.DEFINE_integer("num", 100, "Test images (the paper averages over 100).")
flags.DEFINE_integer("steps", 1000, "Langevin steps (the paper: 1,000).")
flags.DEFINE_float("step_size", 0.05, "Langevin step size.")
flags.DEFINE_integer("seed", 0, "Seed of the masks and the chains.")
flags.mark_flags_as_required(["models"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import data, export, inpainting

    gens = {}
    for item in FLAGS.models:
        name, sep, path = item.partition("=")
        if not sep:
            raise ValueError(f"--models entries must be name=EXPORT_DIR, got {item!r}")
        module = export.load_generator(path)
        gens[name] = (module, int(module.latent_dim.numpy()))
    x = data.load_arrays(FLAGS.dataset, "test", FLAGS.data_dir)[0][:FLAGS.num]
    out = {"benchmark": "inpainting", "dataset": FLAGS.dataset, "num_images": len(x),
           "steps": FLAGS.steps, "step_size": FLAGS.step_size, "seed": FLAGS.seed,
           "models": {k: v for k, v in (m.partition("=")[::2] for m in FLAGS.models)},
           "recovery_error": {}}
    start = time.time()
    for size in FLAGS.sizes:
        masks = inpainting.square_masks(len(x), x.shape[1:], int(size), FLAGS.seed)
        errors, _ = inpainting.compare(x, masks, gens, FLAGS.steps, FLAGS.step_size,
                                       seed=FLAGS.seed)
        out["recovery_error"][f"square:{size}"] = {k: round(v, 4) for k, v in errors.items()}
    out["wall_time_s"] = round(time.time() - start, 1)
    out["command"] = " ".join([".venv/bin/python bench/inpainting.py"] + sys.argv[1:])
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    cli.run(main)
