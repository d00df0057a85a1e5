"""Translate images with an exported translator (Pix2Pix, CycleGAN, ...).

    tfgen-translate --model=runs/p2p/export --direction=a2b \
        --input=edges/ --out=translated/
    tfgen-translate --model=runs/p2p/export --direction=a2b \
        --input=edges.npz --out=translated/

--input is a folder of images (flat; .png, .jpg, ...) or an .npz with an
array ``images`` (or ``a``), [N, H, W] or [N, H, W, C], uint8 0..255 or
floats in [-1, 1]. The images must have the export's input shape.

--out is a folder that this command creates. It holds:

* for a folder input, one PNG per input image, named as the input with a
  .png extension; for an .npz input, ``translated.npz`` with the float32
  translations in [-1, 1] under ``images``;
* ``grid.png``: before/after, up to --grid images, each input above its
  translation (pairs of rows).

An existing --out is refused unless --overwrite; then only the files named
above are replaced (each written beside itself and renamed into place), and
nothing else in the folder is touched.

The export's ``translate`` part whose direction matches is used (--direction
a2b reads the part with direction ``a_to_b``, b2a ``b_to_a``).
"""

import os

import numpy as np
from absl import flags

from tfgen import cli, commands
from tfgen.atomic_write import write_atomically

cli.quiet_tensorflow()

DIRECTIONS = {"a2b": "a_to_b", "b2a": "b_to_a"}
GRID_FILE, NPZ_FILE = "grid.png", "translated.npz"

flags.DEFINE_string("model", None, "Exported model directory (with a translate part).")
flags.DEFINE_enum("direction", "a2b", list(DIRECTIONS), "Which way to translate.")
flags.DEFINE_string("input", None, "Folder of images, or .npz with 'images' or 'a'.")
flags.DEFINE_string("out", None, "Output folder (created; see --overwrite).")
flags.DEFINE_integer("grid", 16, "Images in the before/after grid.png (0: none).")
flags.DEFINE_integer("batch", 256, "Images per forward pass.")
flags.DEFINE_bool("overwrite", False, "Write into an existing --out (replacing only "
                  "the files this command writes).")
flags.mark_flags_as_required(["model", "input", "out"])
FLAGS = flags.FLAGS


def read_input(path: str):
    """(float32 images in [-1, 1], names or None) of --input."""
    from tfgen.data import files, kind_files
    from tfgen.data.errors import DataError

    if os.path.isdir(path):
        images = kind_files._folder_images(path)
        names = sorted(images)
        if os.path.splitext(GRID_FILE)[0] in names:
            raise ValueError(f"--input={path} holds an image named grid, which would "
                             f"collide with the {GRID_FILE} written beside the "
                             "translations; rename it")
        x = np.stack([images[n] for n in names])
        return x.astype(np.float32) / 127.5 - 1.0, names
    if not os.path.isfile(path):
        raise FileNotFoundError(f"--input={path} does not exist; pass a folder of "
                                "images or an .npz with an array 'images' or 'a'")
    if not path.endswith(".npz"):
        raise ValueError(f"--input={path} is neither a folder nor an .npz file; pass "
                         "a folder of images or an .npz with an array 'images' or 'a'")
    try:
        with np.load(path, allow_pickle=False) as f:
            key = next((k for k in ("images", "a") if k in f.files), None)
            if key is None:
                raise DataError(f"{path} has no 'images' or 'a' array (keys: "
                                f"{f.files}); save it with np.savez(path, images=...)")
            x = f[key]
    except (OSError, ValueError) as err:
        if isinstance(err, DataError):
            raise
        raise DataError(f"{path} is not a readable .npz file ({err})") from err
    x = files._check_image_array(path, x[..., None] if x.ndim == 3 else x, key)
    if x.dtype == np.uint8:
        return x.astype(np.float32) / 127.5 - 1.0, None
    return np.asarray(x, np.float32), None


def translator(exp, direction: str):
    """(part, its tfgen.json entry) of the translate part for ``direction``."""
    names = sorted(n for n, k in exp.kind_of.items() if k == "translate")
    if not names:
        exp.name_of("translate", "export a translation model (e.g. pix2pix) to "
                    "use tools/translate.py")
    wanted = DIRECTIONS[direction]
    for n in names:
        if exp.describe(n).get("direction") == wanted:
            return exp.parts[n], exp.describe(n)
    have = ", ".join(f"{n} ({exp.describe(n).get('direction')})" for n in names)
    other = [d for d, w in DIRECTIONS.items() if w != wanted]
    raise ValueError(f"{exp.path} has no translate part for direction {wanted} (it "
                     f"has: {have}); use --direction={other[0]} or an export of a "
                     "two-way model")


def check_shape(images, info: dict, model: str) -> None:
    want = tuple(info.get("input_shape", ()))
    got = tuple(images.shape[1:])
    if want and got != want:
        raise ValueError(f"--input images are {'x'.join(map(str, got))} but {model} "
                         f"translates {'x'.join(map(str, want))} images; resize or "
                         "convert them (grey: 1 channel, RGB: 3) to the export's shape")


def outputs(names) -> list:
    """The files this command writes into --out."""
    pngs = [n + ".png" for n in names] if names is not None else [NPZ_FILE]
    return pngs + [GRID_FILE]


def check_out(out: str, overwrite: bool) -> None:
    if os.path.isfile(out):
        raise ValueError(f"--out={out} is a file; name a folder to write into")
    if os.path.lexists(out) and not overwrite:
        raise FileExistsError(f"{out} exists; pass --overwrite to write into it "
                              "(only this command's files are replaced)")


def before_after(inputs, translated, num: int) -> np.ndarray:
    """A grid: rows of up to 8 inputs, each above the row of their translations."""
    from tfgen import images as images_lib

    x, y = inputs[:num], translated[:num]
    if x.shape[-1] != y.shape[-1]:  # grey beside colour: show the grey as RGB
        x, y = (np.repeat(t, 3, axis=-1) if t.shape[-1] == 1 else t for t in (x, y))
    cols = min(8, len(x))
    rows = []
    for i in range(0, len(x), cols):
        for part in (x[i:i + cols], y[i:i + cols]):
            pad = cols - len(part)
            rows.append(np.concatenate([part, np.ones((pad,) + part.shape[1:],
                                                      np.float32)]) if pad else part)
    return images_lib.grid(np.concatenate(rows), ncols=cols)


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import export, images as images_lib

    if FLAGS.batch < 1 or FLAGS.grid < 0:
        raise ValueError(f"--batch must be >= 1 and --grid >= 0, got {FLAGS.batch}, "
                         f"{FLAGS.grid}")
    check_out(FLAGS.out, FLAGS.overwrite)
    exp = export.load(FLAGS.model)
    part, info = translator(exp, FLAGS.direction)
    x, names = read_input(FLAGS.input)
    check_shape(x, info, FLAGS.model)
    y = np.concatenate([np.asarray(part(x[i:i + FLAGS.batch]), np.float32)
                        for i in range(0, len(x), FLAGS.batch)])
    os.makedirs(FLAGS.out, exist_ok=True)
    if names is None:
        write_atomically(os.path.join(FLAGS.out, NPZ_FILE),
                         lambda tmp: np.savez(tmp, images=y))
    else:
        for n, img in zip(names, images_lib.to_uint8(y)):
            write_atomically(os.path.join(FLAGS.out, n + ".png"),
                             lambda tmp, img=img: images_lib.save_png(tmp, img))
    if FLAGS.grid:
        pic = before_after(x, y, FLAGS.grid)
        write_atomically(os.path.join(FLAGS.out, GRID_FILE),
                         lambda tmp: images_lib.save_png(tmp, pic))
    print(f"translated {len(y)} images ({FLAGS.direction}) into {FLAGS.out}")


def run():
    """The ``tfgen-translate`` console script (and ``python tools/translate.py``)."""
    commands.start(main)
