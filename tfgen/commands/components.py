"""Images along the top principal components of a CTRL model's feature space.

    tfgen-components --workdir=runs/coa_ctrl --out=pcs.png

Row k shows g(normalize(μ + s·σ_k·v_k)) for the scales s in --scales, with
μ the mean, v_k the k-th principal direction and σ_k its standard deviation
among the normalized features of --num_features training images (the
disentanglement figure of CoA-CTRL Sec. 4.4 / Fig. 8).
"""

import numpy as np
from absl import flags

from tfgen import cli, commands

cli.quiet_tensorflow()

flags.DEFINE_string("workdir", None, "Training directory of a ctrl/coa_ctrl run.")
flags.DEFINE_integer("components", 10, "Principal components (rows).")
flags.DEFINE_list("scales", ["-3", "-2", "-1", "0", "1", "2", "3"], "Multiples of each std.")
flags.DEFINE_integer("num_features", 2000, "Training images for the PCA.")
flags.DEFINE_string("out", None, "PNG path.")
flags.mark_flags_as_required(["workdir", "out"])
FLAGS = flags.FLAGS


def walks(z: np.ndarray, components: int, scales) -> np.ndarray:
    """[components, len(scales), d] points normalize(μ + s·σ_k·v_k)."""
    mu = z.mean(0)
    _, s, vt = np.linalg.svd(z - mu, full_matrices=False)
    std = s / np.sqrt(max(len(z) - 1, 1))
    steps = std[:components, None] * vt[:components]  # [components, d]
    pts = mu + np.asarray(scales)[None, :, None] * steps[:, None]
    return pts / np.linalg.norm(pts, axis=-1, keepdims=True)


@cli.one_line_errors
def main(argv):
    del argv
    try:
        scales = [float(v) for v in FLAGS.scales]
    except ValueError:
        raise ValueError(f"--scales must be numbers, got {','.join(FLAGS.scales)}") from None
    if FLAGS.components < 1 or FLAGS.num_features <= FLAGS.components:
        raise ValueError(f"need 1 <= --components < --num_features, got "
                         f"{FLAGS.components} and {FLAGS.num_features}")
    from tfgen import closed_loop, images

    model, _, x = closed_loop.restore_with_images(FLAGS.workdir, "train", FLAGS.num_features)
    if FLAGS.components > model.latent_dim:
        raise ValueError(f"--components={FLAGS.components} exceeds the feature "
                         f"dimension {model.latent_dim}")
    z = np.concatenate([model.encode(x[i:i + 250], False).numpy()
                        for i in range(0, len(x), 250)])
    pts = walks(z, FLAGS.components, scales).reshape(-1, z.shape[1]).astype(np.float32)
    out = model.generator(pts, training=False).numpy()
    images.save_png(FLAGS.out, images.grid(out, ncols=len(scales)))
    print(f"Wrote {FLAGS.components} components x {len(scales)} scales to {FLAGS.out}")


def run():
    """The ``tfgen-components`` console script (and ``python tools/components.py``)."""
    commands.start(main)
