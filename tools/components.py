"""Images along the top principal components of a CTRL model's feature space.

    python tools/components.py --workdir=runs/coa_ctrl --out=pcs.png

Row k shows g(normalize(mu + s * sigma_k * v_k)) for scales s in --scales,
v_k the k-th principal direction of the normalized training features (the
CTRL / CoA-CTRL disentanglement figure).
"""

import numpy as np
from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_string("workdir", None, "Training directory of a ctrl/coa_ctrl run.")
flags.DEFINE_integer("components", 10, "Principal components (rows).")
flags.DEFINE_list("scales", ["-3", "-2", "-1", "0", "1", "2", "3"], "Multiples of each std.")
flags.DEFINE_integer("num_features", 2000, "Training images for the PCA.")
flags.DEFINE_string("out", None, "PNG path.")
flags.mark_flags_as_required(["workdir", "out"])
FLAGS = flags.FLAGS


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import closed_loop, images

    model, _, x = closed_loop.restore_with_images(FLAGS.workdir, "train", FLAGS.num_features)
    z = np.concatenate([model.encode(x[i:i + 250], False).numpy() for i in range(0, len(x), 250)])
    mu = z.mean(0)
    _, s, vt = np.linalg.svd(z - mu, full_matrices=False)
    std = s / np.sqrt(len(z) - 1)
    scales = [float(v) for v in FLAGS.scales]
    rows = []
    for k in range(FLAGS.components):
        pts = np.stack([mu + c * std[k] * vt[k] for c in scales])
        pts /= np.linalg.norm(pts, axis=1, keepdims=True)
        rows.append(model.generator(pts.astype(np.float32), training=False).numpy())
    images.save_png(FLAGS.out, images.grid(np.concatenate(rows), ncols=len(scales)))
    print(f"Wrote {FLAGS.components} components x {len(scales)} scales to {FLAGS.out}")


if __name__ == "__main__":
    cli.run(main)
