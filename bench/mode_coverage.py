"""Mode coverage on the 2-D mixtures and Stacked MNIST, over several seeds.

    .venv/bin/python bench/mode_coverage.py \
        --configs=configs/gan_ring8.py,configs/wgan_ring8.py,configs/wgangp_ring8.py \
        --seeds=0,1,2 --workdir=runs/modes

Trains each config once per seed (its own budget unless ``--steps`` is set;
``config.seed`` is the seed), then counts modes as VEEGAN / PacGAN do:
``modes`` for ``ring8`` / ``grid25`` (2,500 samples: modes covered,
high-quality fraction within 3 std, KL of the mode histogram to uniform),
``stacked_modes`` for Stacked MNIST (``--num_samples``, default 10,000,
with the project's MNIST classifier). Prints one JSON object with every run
and the mean per config.

With ``--every=N`` (2-D mixtures) each run also counts modes every N steps
during training (the trainer's ``eval.every``, 2,500 samples) and keeps the
trajectory; ``--out`` writes the JSON there with its plots beside it (modes
covered and the high-quality fraction against steps, bench/figures.py).
"""

import contextlib
import json
import os
import sys
import time

import numpy as np
from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_list("configs", None, "Config files.")
flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
flags.DEFINE_integer("steps", 0, "Training steps (0 = each config's).")
flags.DEFINE_string("workdir", "runs/mode_coverage", "Parent of the training directories.")
flags.DEFINE_string("data_dir", None, "Data folder (Stacked MNIST).")
flags.DEFINE_integer("num_samples", 10000, "Samples for Stacked MNIST.")
flags.DEFINE_integer("every", 0, "Also count modes every this many steps (2-D mixtures; "
                     "0 = only at the end).")
flags.DEFINE_string("out", None, "Also write the JSON here, with its plots beside it.")
flags.DEFINE_bool("overwrite", False, "Replace an existing --out JSON and its plots.")
flags.mark_flags_as_required(["configs"])
FLAGS = flags.FLAGS


def load_config(path):
    import importlib.util

    if not os.path.isfile(path):
        raise FileNotFoundError(f"config {path} not found; pass paths like configs/gan_ring8.py")
    spec = importlib.util.spec_from_file_location("cfg", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def summary(result):
    m = result["metrics"]
    if "modes" in m:
        return {k: m["modes"][k] for k in ("modes_covered", "high_quality_fraction",
                                           "kl_to_uniform")}
    s = m["stacked_mnist"]
    return {k: s[k] for k in ("modes_covered", "kl_to_uniform")}


TRAJECTORY_KEYS = ("modes_covered", "high_quality_fraction", "kl_to_uniform")


def trajectory(workdir):
    """The run's periodic mode counts, read back from its TensorBoard log."""
    from tfgen import plots

    found = plots.read_scalars(os.path.join(workdir, "tb"),
                               [f"eval/modes/{k}" for k in TRAJECTORY_KEYS])
    steps = found[f"eval/modes/{TRAJECTORY_KEYS[0]}"][0]
    return {"step": [int(s) for s in steps],
            **{k: [round(float(v), 6) for v in found[f"eval/modes/{k}"][1]]
               for k in TRAJECTORY_KEYS}}


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import atomic_write, evaluation, trainer

    atomic_write.refuse_existing(FLAGS.out, FLAGS.overwrite, siblings="_*.png")
    if FLAGS.every:  # checked before any training
        for path in FLAGS.configs:
            name = load_config(path).data.name
            if name not in ("ring8", "grid25"):
                raise ValueError(f"--every counts modes of the 2-D mixtures; {path} trains "
                                 f"on {name}: drop --every or that config")
    runs, means, datasets = [], {}, []
    start = time.time()
    for path in FLAGS.configs:
        name = os.path.splitext(os.path.basename(path))[0]
        per_seed = []
        for seed in FLAGS.seeds:
            c = load_config(path)
            c.seed = int(seed)
            if FLAGS.steps:
                c.train.steps = FLAGS.steps
                c.train.checkpoint_every = min(c.train.checkpoint_every, FLAGS.steps)
            if FLAGS.data_dir:
                c.data.data_dir = FLAGS.data_dir
            toy = c.data.name in ("ring8", "grid25")
            if FLAGS.every:
                c.eval.every, c.eval.metrics, c.eval.num_samples = FLAGS.every, "modes", 2500
            if c.data.name not in datasets:
                datasets.append(c.data.name)
            workdir = os.path.join(FLAGS.workdir, f"{name}_seed{seed}")
            with contextlib.redirect_stdout(sys.stderr):  # stdout: the JSON only
                trainer.run(c, workdir, restart=True, verbose=0)
            r = evaluation.evaluate(os.path.join(workdir, "export"), c.data.name,
                                    ["modes" if toy else "stacked_modes"],
                                    2500 if toy else FLAGS.num_samples,
                                    c.data.data_dir or None)
            row = {"config": name, "seed": int(seed), "steps": c.train.steps,
                   "num_samples": r["num_samples"], **summary(r)}
            if FLAGS.every:
                row["trajectory"] = trajectory(workdir)
            print(json.dumps(row), file=sys.stderr, flush=True)
            runs.append(row)
            per_seed.append(row)
        means[name] = {k: float(np.mean([r[k] for r in per_seed]))
                       for k in per_seed[0] if k not in ("config", "seed", "steps",
                                                         "num_samples", "trajectory")}
    result = {"benchmark": "mode_coverage", "dataset": ",".join(datasets), "runs": runs,
              "mean": means, "wall_time_s": round(time.time() - start, 1),
              "command": " ".join([".venv/bin/python bench/mode_coverage.py"]
                                  + sys.argv[1:])}
    text = json.dumps(result, indent=1)
    print(text)
    if FLAGS.out:
        import figures  # bench/figures.py, beside this script

        atomic_write.write_text(FLAGS.out, text + "\n")
        for path in figures.write(FLAGS.out, result, overwrite=True):
            print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    cli.run(main)
