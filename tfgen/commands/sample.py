"""Draw samples from an exported generator (no training code needed).

    tfgen-sample --model=runs/demo/export --num=64 --out=grid.png [--seed=0]
    tfgen-sample --model=runs/demo/export --num=1000 --out=s.npz
    tfgen-sample --model=runs/demo/export --interpolate --seed=1 --seed2=2 \
        --num=10 --out=walk.png
    tfgen-sample --model=runs/cgan/export --labels=all --num=8 --out=rows.png
    tfgen-sample --model=runs/infogan/export --sweep=62:-2:2 --num=9 --out=code.png

--sweep=INDEX:LOW:HIGH varies one latent coordinate over --num steps with the
rest fixed by --seed (InfoGAN's continuous code j sits at index noise + j of
its export's latents, and equals erf(u / sqrt 2) of the latent u there).

The export needs a ``sample`` part, or a ``conditional_sample`` part: then
--num samples are drawn for each of --labels (a comma list of classes, or
"all", the default), one PNG row per label, and an .npz also holds the
"labels". With both kinds, --labels picks the conditional one. An export
with only a ``generate_tokens`` part (SeqGAN) prints --num sequences, one a
line (words where the export saved a vocabulary), and writes them to an
.npz under "tokens". An export without any of these kinds is refused in
one line.

The format follows the extension of --out (.png: one picture, .npz: the
float32 array under "images"); the file is written beside itself and renamed
into place, so it is never half-written. --num is at most 100,000 for a PNG
and must fit in half the available memory; seeds run from 0 to 2**64 - 1
(see tfgen.sampling).
"""

import os

import numpy as np
from absl import flags

from tfgen import cli, commands
from tfgen.atomic_write import refuse_existing, write_atomically

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
flags.DEFINE_string("sweep", None, "INDEX:LOW:HIGH: --num images as latent coordinate "
                    "INDEX goes from LOW to HIGH, the rest fixed by --seed (one row per "
                    "label of a conditional export); e.g. an InfoGAN continuous code.")
flags.DEFINE_string("labels", None, "Conditional exports: classes to draw, comma list "
                    "or 'all' (default all); --num samples each.")
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
    refuse_existing(out, overwrite)


def parse_labels(text: str | None, num_classes: int) -> list:
    """--labels as a list of classes ("all" or unset: every class)."""
    if text is None or text.strip() == "all":
        return list(range(num_classes))
    try:
        labels = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        labels = []
    if not labels or any(not 0 <= k < num_classes for k in labels):
        raise ValueError(f"--labels={text} must be 'all' or a comma list of classes from "
                         f"0 to {num_classes - 1}")
    return labels


def parse_sweep(text: str) -> tuple:
    """--sweep=INDEX:LOW:HIGH as (int, float, float)."""
    parts = text.split(":")
    try:
        index, low, high = int(parts[0]), float(parts[1]), float(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise ValueError(f"--sweep={text} must be INDEX:LOW:HIGH, e.g. --sweep=62:-2:2") \
            from None
    return index, low, high


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
    sweep = parse_sweep(FLAGS.sweep) if FLAGS.sweep is not None else None
    check_out(out, FLAGS.overwrite)
    exp = export.load(FLAGS.model)
    if "generate_tokens" in exp.kinds and not {"sample", "conditional_sample"} & set(exp.kinds):
        return sample_tokens(exp, num, fmt, out)
    # --labels asks for the conditional part where an export has both kinds.
    kinds = ("sample", "conditional_sample")
    module = exp.part(kinds[::-1] if FLAGS.labels is not None else kinds,
                      "tools/sample.py needs a generator export")
    d = sampling.latent_width(module)
    walk = FLAGS.interpolate or FLAGS.sweep is not None
    if FLAGS.interpolate and FLAGS.sweep is not None:
        raise ValueError("--interpolate and --sweep are two kinds of walk; pass one")
    if walk and d == 0:
        raise ValueError(f"{FLAGS.model} samples by Langevin dynamics without latents, "
                         "so there is no latent path to --interpolate or --sweep")
    labels = None
    if sampling.is_conditional(module):
        labels = np.repeat(parse_labels(FLAGS.labels, int(module.num_classes.numpy())),
                           num).astype(np.int32)
    elif FLAGS.labels is not None:
        raise ValueError(f"--labels needs a conditional export; {FLAGS.model} has "
                         f"{', '.join(exp.kinds)} parts")
    total = num if labels is None else len(labels)
    if fmt == "png" and total > PNG_MAX:
        raise ValueError(f"--num={num:,} for {total // num} labels is too many for one "
                         f"PNG (at most {PNG_MAX:,}); write an .npz instead")
    sampling.check_memory(total, module.image_shape.numpy(), d, "--num")
    rows = labels[::num] if labels is not None else [None]
    if FLAGS.interpolate:
        x = np.concatenate([sampling.interpolate(module, FLAGS.seed, FLAGS.seed2, num, k)
                            for k in rows])
    elif sweep is not None:
        index, low, high = sweep
        x = np.concatenate([sampling.sweep(module, index, low, high, num, FLAGS.seed, k)
                            for k in rows])
    else:
        x = sampling.draw(module, total, FLAGS.seed, labels=labels)
    if fmt == "npz":
        extra = {} if labels is None else {"labels": labels}
        write_atomically(out, lambda tmp: np.savez_compressed(tmp, images=x, **extra))
    else:
        ncols = num if walk or labels is not None else None
        pic = images.picture(x, ncols=ncols) if x.ndim == 4 else images.picture(x)
        write_atomically(out, lambda tmp: images.save_png(tmp, pic))
    print(f"Wrote {len(x)} samples to {out}")


def sample_tokens(exp, num: int, fmt: str, out: str) -> None:
    """A token export: --num sequences printed one a line and saved as "tokens"."""
    import tensorflow as tf

    from tfgen.export_parts.tokens import as_text

    if fmt != "npz":
        raise ValueError(f"{FLAGS.model} generates token sequences; write them to an "
                         ".npz file (--out=....npz)")
    if FLAGS.seed >= 2**31 or FLAGS.interpolate or FLAGS.labels is not None \
            or FLAGS.sweep is not None:
        raise ValueError("a token export takes --seed below 2**31 and no --interpolate, "
                         "--sweep or --labels")
    part = exp.part("generate_tokens")
    tokens = part.generate_tokens(tf.constant(num, tf.int32),
                                  tf.constant(FLAGS.seed, tf.int32)).numpy()
    sep = exp.describe(exp.name_of("generate_tokens")).get("separator", " ")
    for line in as_text(tokens, list(part.vocabulary.numpy()), sep):
        print(line)
    write_atomically(out, lambda tmp: np.savez_compressed(tmp, tokens=tokens))
    print(f"Wrote {len(tokens)} sequences to {out}")


def run():
    """The ``tfgen-sample`` console script (and ``python tools/sample.py``)."""
    commands.start(main)
