"""Do two versions of tfgen train a config to the same bits?

Trains ``--config`` for ``--steps`` steps at a small size (widths 8, batch
at most 64, MNIST → mnist5k, no samples or export) with the tfgen found on
``sys.path`` (run it from the checkout to test) and saves every network
weight to ``--out``. ``--compare=A.npz,B.npz`` then prints JSON saying
whether two such files are bit-identical. Used to show that a refactoring
changed no number (docs/BENCHMARKS.md, "Same bits"):

    git worktree add /tmp/old <rev>
    (cd /tmp/old && python /path/to/bench/same_bits.py --config=configs/gan_ring8.py \
        --steps=50 --out=/tmp/old.npz)
    python bench/same_bits.py --config=configs/gan_ring8.py --steps=50 --out=/tmp/new.npz
    python bench/same_bits.py --compare=/tmp/old.npz,/tmp/new.npz
"""

import importlib.util
import json
import os
import sys

from absl import app, flags

flags.DEFINE_string("config", None, "Config file (relative to the current checkout).")
flags.DEFINE_integer("steps", 20, "Training steps.")
flags.DEFINE_string("out", None, "Where to save the weights (.npz).")
flags.DEFINE_list("compare", None, "Two .npz files to compare.")
FLAGS = flags.FLAGS

SLOTS = ("generator", "discriminator", "descriptor", "encoder")


def small(c):
    c.train.steps = FLAGS.steps
    c.train.checkpoint_every, c.train.sample_every = FLAGS.steps, 0
    c.export.enabled = False
    if c.data.name in ("mnist", "fashion_mnist"):
        c.data.name = "mnist5k"
    c.data.batch_size = min(c.data.batch_size, 64)
    for slot in SLOTS:
        if slot in c.net and "width" in c.net[slot]:
            c.net[slot].width = 8
    return c


def train():
    import numpy as np

    # Checked here, not with tfgen.atomic_write: older checkouts do not have it.
    for path in (FLAGS.out, FLAGS.out + "_workdir"):
        if os.path.lexists(path):
            raise SystemExit(f"error: {path} exists; name another --out (a workdir "
                             "there would resume, not train from the seed)")
    sys.path.insert(0, os.getcwd())
    from tfgen import trainer

    spec = importlib.util.spec_from_file_location("config", FLAGS.config)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = trainer.run(small(module.get_config()), FLAGS.out + "_workdir", verbose=0)
    weights = {f"{slot}/{i}": w.numpy()
               for slot in SLOTS if getattr(model, slot, None) is not None
               for i, w in enumerate(getattr(model, slot).weights)}
    np.savez(FLAGS.out, **weights)


def compare():
    import numpy as np

    a, b = (np.load(p) for p in FLAGS.compare)
    same = sorted(a.files) == sorted(b.files) and all(
        np.array_equal(a[k], b[k]) for k in a.files)
    print(json.dumps({"benchmark": "same_bits", "files": FLAGS.compare,
                      "weights": len(a.files), "bit_identical": bool(same),
                      "command": " ".join(["python"] + sys.argv)}))


def main(argv):
    del argv
    compare() if FLAGS.compare else train()


if __name__ == "__main__":
    app.run(main)
