"""Sample-wise reconstruction x against G(E(x)), from a run or from an export.

    tfgen-reconstruct --workdir=runs/coa_ctrl --num=16 --out=recon.png
    tfgen-reconstruct --model=runs/bigan/export --num=16 --out=recon.png

``--workdir``: a training directory whose model encodes (CTRL, CoA-CTRL,
BiGAN, ALI). ``--model``: any export with an ``encode`` and a ``sample``
part (the images come from the export's data set unless ``--data`` names
another). Writes a PNG of held-out images (first row: originals, second
row: their reconstructions G(E(x))) and prints JSON with the mean squared
error, the PSNR and, as a baseline, the error against the reconstruction of
another image (a random pairing of the same images), over --num_eval images.
Images are in [-1, 1], so the PSNR uses the peak-to-peak range 2.0:
PSNR = 10 log10(2² / MSE).
"""

import json

import numpy as np
from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_string("workdir", None, "Training directory of a model that encodes.")
flags.DEFINE_string("model", None, "Export with encode and sample parts (instead of --workdir).")
flags.DEFINE_string("data", None, "Data set of the images (--model; default: the export's).")
flags.DEFINE_string("data_dir", None, "Data folder (--model; default $TFGEN_DATA_DIR).")
flags.DEFINE_integer("num", 16, "Images in the PNG.")
flags.DEFINE_integer("num_eval", 1000, "Images for MSE and PSNR.")
flags.DEFINE_string("split", "test", "Split of the held-out images.")
flags.DEFINE_string("out", None, "PNG path (optional).")
FLAGS = flags.FLAGS
PEAK_TO_PEAK = 2.0


def _from_export(path, split, limit):
    """(x → G(E(x)) in batches, images) from an export with both parts."""
    import tensorflow as tf

    from tfgen import data, export

    exp = export.load(path)
    need = "tools/reconstruct.py needs an export with encode and sample parts"
    enc, gen = exp.part("encode", need), exp.part(("sample",), need)
    name = FLAGS.data or exp.meta.get("dataset")
    if not name:
        raise ValueError(f"{path} does not name its data set; pass --data")
    x = data.load_arrays(name, split, FLAGS.data_dir)[0][:limit]
    shape = exp.describe(exp.name_of("encode")).get("input_shape")
    if shape and tuple(x.shape[1:]) != tuple(shape):
        if len(shape) == 3 and x.ndim == 4 and x.shape[3] == shape[2]:
            x = tf.image.resize(x, shape[:2]).numpy()
        else:
            raise ValueError(f"the export encodes images of shape {tuple(shape)}; "
                             f"{name} has {tuple(x.shape[1:])}")
    return (lambda b: gen(enc(tf.constant(b, tf.float32))).numpy()), x


def _from_workdir(workdir, split, limit):
    from tfgen import closed_loop

    model, _, x = closed_loop.restore_with_images(workdir, split, limit)
    return (lambda b: model.generator(model.encode(b, False), training=False).numpy()), x


def reconstruction_errors(x, recon, seed: int = 0) -> dict:
    """MSE and PSNR of ``recon`` against ``x``, and the random-pairing baseline."""
    mse = float(np.mean((x - recon) ** 2))
    perm = np.random.default_rng(seed).permutation(len(x))
    # A pairing that moves every image (a derangement by rotation of a shuffle).
    other = recon[np.roll(perm, 1)][np.argsort(perm)] if len(x) > 1 else recon
    return {"mse": mse, "psnr_db": float(10 * np.log10(PEAK_TO_PEAK ** 2 / mse)),
            "mse_random_pairing": float(np.mean((x - other) ** 2)),
            "psnr_peak_to_peak": PEAK_TO_PEAK}


@cli.one_line_errors
def main(argv):
    del argv
    if (FLAGS.workdir is None) == (FLAGS.model is None):
        raise ValueError("pass exactly one of --workdir (a run) and --model (an export)")
    if FLAGS.num <= 0 or FLAGS.num_eval < FLAGS.num:
        raise ValueError(f"need 0 < --num <= --num_eval, got {FLAGS.num} and {FLAGS.num_eval}")
    from tfgen import images

    if FLAGS.model:
        reconstruct, x = _from_export(FLAGS.model, FLAGS.split, FLAGS.num_eval)
    else:
        reconstruct, x = _from_workdir(FLAGS.workdir, FLAGS.split, FLAGS.num_eval)
    recon = np.concatenate([reconstruct(x[i:i + 250]) for i in range(0, len(x), 250)])
    if FLAGS.out:
        n = min(FLAGS.num, len(x))
        images.save_png(FLAGS.out, images.grid(np.concatenate([x[:n], recon[:n]]), ncols=n))
    print(json.dumps({"images": len(x), "split": FLAGS.split,
                      **reconstruction_errors(x, recon)}, indent=1))


def run():
    """The ``tfgen-reconstruct`` console script (and ``python tools/reconstruct.py``)."""
    commands.start(main)
