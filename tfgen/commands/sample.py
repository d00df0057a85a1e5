"""Draw samples from an exported generator (no training code needed).

    tfgen-sample --model=runs/demo/export --num=64 --out=grid.png [--seed=0]
    tfgen-sample --model=runs/demo/export --num=1000 --out=s.npz
    tfgen-sample --model=runs/demo/export --interpolate --seed=1 --seed2=2 \
        --num=10 --out=walk.png

The format follows the extension of --out (.png: one picture, .npz: the
float32 array under "images"); the file is written beside itself and renamed
into place, so it is never half-written. --num is at most 100,000 for a PNG
and must fit in half the available memory; seeds run from 0 to 2**64 - 1
(see tfgen.sampling).
"""

import os
import tempfile

import numpy as np
from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

FORMATS = ("png", "npz")
PNG_MAX = 100_000  # one picture of more tiles is not something to look at

flags.DEFINE_string("model", None, "Exported generator directory.")
flags.DEFINE_integer("num", 64, "Number of samples (steps when interpolating).")
flags.DEFINE_string("out", None, "Output file, .png or .npz.")
flags.DEFINE_integer("seed", 0, "Seed of the latents, 0 to 2**64 - 1.")
flags.DEFINE_enum("format", None, list(FORMATS),
                  "Output format; must match the extension of --out (default: "
                  "from the extension).")
flags.DEFINE_bool("interpolate", False, "Walk the latent space from --seed to --seed2.")
flags.DEFINE_integer("seed2", 1, "End seed of the interpolation.")
flags.DEFINE_bool("overwrite", False, "Replace an existing output file.")
flags.mark_flags_as_required(["model", "out"])
FLAGS = flags.FLAGS


def output_format(out: str, fmt: str | None) -> str:
    """The format of --out: its extension, which --format may only repeat."""
    ext = os.path.splitext(out)[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise ValueError(f"--out={out} must end in .png or .npz (the format follows "
                         "the extension)")
    if fmt is not None and fmt != ext:
        stem = os.path.splitext(out)[0]
        raise ValueError(f"--format={fmt} does not match --out={out}; use "
                         f"--out={stem}.{fmt} or drop --format")
    return ext


def check_out(out: str, overwrite: bool) -> None:
    if os.path.isdir(out):
        raise ValueError(f"--out={out} is a directory; name a .png or .npz file")
    if os.path.lexists(out) and not overwrite:
        raise FileExistsError(f"{out} exists; pass --overwrite to replace it")


def write_atomically(out: str, write) -> None:
    """Calls ``write(tmp)`` for a temporary file beside ``out``, then renames it."""
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    ext = os.path.splitext(out)[1]  # PIL picks the format from it
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(out)}.", suffix=f".tmp{ext}",
                               dir=folder)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 is for the temp file only
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import export, images, sampling

    out = FLAGS.out
    fmt = output_format(out, FLAGS.format)
    num = sampling.check_num(FLAGS.num, "--num")
    if fmt == "png" and num > PNG_MAX:
        raise ValueError(f"--num={num:,} is too many for one PNG (at most {PNG_MAX:,}); "
                         "write an .npz instead")
    sampling.check_seed(FLAGS.seed, "--seed")
    if FLAGS.interpolate:
        sampling.check_seed(FLAGS.seed2, "--seed2")
    check_out(out, FLAGS.overwrite)
    module = export.load_generator(FLAGS.model)
    sampling.check_memory(num, module.image_shape.numpy(),
                          int(module.latent_dim.numpy()), "--num")
    if FLAGS.interpolate:
        x = sampling.interpolate(module, FLAGS.seed, FLAGS.seed2, num)
    else:
        x = sampling.draw(module, num, FLAGS.seed)
    if fmt == "npz":
        write_atomically(out, lambda tmp: np.savez_compressed(tmp, images=x))
    else:
        ncols = num if FLAGS.interpolate else None
        pic = images.picture(x, ncols=ncols) if x.ndim == 4 else images.picture(x)
        write_atomically(out, lambda tmp: images.save_png(tmp, pic))
    print(f"Wrote {len(x)} samples to {out}")


def run():
    """The ``tfgen-sample`` console script (and ``python tools/sample.py``)."""
    commands.start(main)
