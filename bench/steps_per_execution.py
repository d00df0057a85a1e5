"""In-loop training rate against ``train.steps_per_execution``, and the bits.

Trains one config for ``--steps`` steps once per value and repeat, in
interleaved rounds (1, 10, 50, 1, 10, 50, ...) so that a drift in the
machine's speed falls on every value alike, each run in its own
``tools/train.py`` process and fresh folder. Prints one JSON object: each
value's in-loop rates (the trainer's step timer), their mean, the mean's
ratio to the first value's, and whether every run's last checkpoint holds
the same weights as the first value's (it should: the value only changes
how many steps run per call into the compiled loop).

    .venv/bin/python bench/steps_per_execution.py --config=configs/dcgan_mnist_best.py \\
        --data_dir=../shared/data --values=1,10,50 --steps=1500 --repeats=2
"""

import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile

from absl import app, flags

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tfgen import atomic_write, cli, distribute, progress, testing  # noqa: E402

flags.DEFINE_string("config", "configs/dcgan_mnist_best.py", "Config file to train.")
flags.DEFINE_string("data_dir", None, "Data folder (the config's data.data_dir).")
flags.DEFINE_list("values", ["1", "10", "50"], "train.steps_per_execution values; the "
                  "first is the reference of the ratios.")
flags.DEFINE_integer("steps", 1500, "Steps per run.")
flags.DEFINE_integer("repeats", 2, "Interleaved rounds.")
flags.DEFINE_string("out", None, "JSON to write (refused if it exists, unless --overwrite).")
flags.DEFINE_bool("overwrite", False, "Replace --out.")
FLAGS = flags.FLAGS


def weights_digest(workdir: str, step: int) -> str:
    """SHA-256 of every checkpointed tensor but the save counter, in name order."""
    import numpy as np

    values = testing.checkpoint_values(
        os.path.join(workdir, "checkpoints", f"ckpt-{step}"), save_counter=False)
    h = hashlib.sha256()
    for name in sorted(values):
        h.update(name.encode())
        h.update(np.ascontiguousarray(values[name]).tobytes())
    return h.hexdigest()


def train(value: int, folder: str) -> tuple:
    cmd = [sys.executable, os.path.join(ROOT, "tools", "train.py"),
           f"--config={FLAGS.config}", f"--workdir={folder}",
           f"--config.train.steps={FLAGS.steps}",
           f"--config.train.steps_per_execution={value}", "--config.export.enabled=False"]
    if FLAGS.data_dir:
        cmd.append(f"--config.data.data_dir={FLAGS.data_dir}")
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        raise SystemExit(f"training with steps_per_execution={value} failed: {tail}")
    return progress.in_loop_rate(done.stdout), weights_digest(folder, FLAGS.steps)


@cli.one_line_errors
def main(argv):
    del argv
    if FLAGS.out:
        atomic_write.refuse_existing(FLAGS.out, FLAGS.overwrite)
    values = [int(v) for v in FLAGS.values]
    if not values or min(values) < 1:
        raise SystemExit(f"--values must be integers >= 1, got {','.join(FLAGS.values)}")
    rates = {v: [] for v in values}
    digests = set()
    with tempfile.TemporaryDirectory(prefix="tfgen-spe-") as tmp:
        for r in range(FLAGS.repeats):
            for v in values:
                rate, digest = train(v, os.path.join(tmp, f"r{r}-spe{v}"))
                rates[v].append(rate)
                digests.add(digest)
                print(f"round {r}, steps_per_execution {v}: {rate:.2f} steps/s",
                      file=sys.stderr)
    mean = {v: sum(x) / len(x) for v, x in rates.items()}
    result = {
        "command": " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv),
        "config": FLAGS.config, "steps": FLAGS.steps, "repeats": FLAGS.repeats,
        "machine": distribute.device_name(),
        "steps_per_second": {str(v): rates[v] for v in values},
        "mean_steps_per_second": {str(v): round(mean[v], 2) for v in values},
        "ratio_to_first": {str(v): round(mean[v] / mean[values[0]], 3) for v in values},
        "same_weights": len(digests) == 1,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if FLAGS.out:
        atomic_write.write_text(FLAGS.out, text + "\n")


if __name__ == "__main__":
    app.run(main)
