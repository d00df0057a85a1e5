"""Langevin revision throughput: batches of 64 images (28x28x1), 10 steps,
the CoopNets Sec. 5.2 descriptor (tfgen.networks.energy.coopnets_descriptor),
tfgen's compiled loop with XLA off and on, and the same loop in PyTorch eager
when torch is installed (pip install torch==2.13.0).

    .venv/bin/python bench/langevin.py [--repeats=20]

Prints one JSON object: revisions (one batch of 64 revised by 10 steps) per second.
"""

import json
import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from absl import app, flags  # noqa: E402

from tfgen.networks.energy import coopnets_descriptor  # noqa: E402
from tfgen.samplers import langevin as lv  # noqa: E402

flags.DEFINE_integer("repeats", 20, "Timed revisions.")
FLAGS = flags.FLAGS
BATCH, STEPS, DELTA, REF_STD = 64, 10, 0.02, 1.0


def time_tf(jit):
    d = coopnets_descriptor((28, 28, 1))
    score = lambda y: tf.reshape(d(y, training=False), [-1])  # noqa: E731
    fn = tf.function(lambda y: lv.coopnets_revise(score, y, STEPS, DELTA, REF_STD,
                                                  tf.constant([0, 1])), jit_compile=jit)
    y = tf.random.normal([BATCH, 28, 28, 1])
    fn(y).numpy()
    t = time.perf_counter()
    for _ in range(FLAGS.repeats):
        fn(y).numpy()
    return FLAGS.repeats / (time.perf_counter() - t)


def time_torch():
    import torch
    from torch import nn

    torch.set_num_threads(os.cpu_count() or 1)
    net = nn.Sequential(nn.Conv2d(1, 64, 5, 2, 2), nn.LeakyReLU(0.2),
                        nn.Conv2d(64, 128, 3, 2, 1), nn.LeakyReLU(0.2),
                        nn.Conv2d(128, 256, 3, 1, 1), nn.LeakyReLU(0.2),
                        nn.Flatten(), nn.Linear(256 * 7 * 7, 100))

    def revise(y):
        for _ in range(STEPS):
            y = y.detach().requires_grad_(True)
            log_p = net(y).sum() - 0.5 * (y ** 2).sum() / REF_STD ** 2
            g, = torch.autograd.grad(log_p, y)
            y = y + 0.5 * DELTA ** 2 * g + DELTA * torch.randn_like(y)
        return y.detach()

    y = torch.randn(BATCH, 1, 28, 28)
    revise(y)
    t = time.perf_counter()
    for _ in range(FLAGS.repeats):
        revise(y)
    return FLAGS.repeats / (time.perf_counter() - t), torch.__version__


def main(argv):
    del argv
    out = {"benchmark": "langevin_revision", "batch": BATCH, "steps": STEPS,
           "image": [28, 28, 1], "tensorflow": tf.__version__,
           "machine": platform.machine(), "cpu_count": os.cpu_count()}
    out["tfgen_revisions_per_s"] = round(time_tf(False), 2)
    out["tfgen_xla_revisions_per_s"] = round(time_tf(True), 2)
    try:
        rate, version = time_torch()
        out["torch_eager_revisions_per_s"] = round(rate, 2)
        out["torch"] = version
        best = max(out["tfgen_revisions_per_s"], out["tfgen_xla_revisions_per_s"])
        out["speedup_vs_torch"] = round(best / rate, 2)
    except ImportError:
        out["torch"] = "not installed (pip install torch==2.13.0)"
    out["command"] = " ".join([".venv/bin/python bench/langevin.py"] + sys.argv[1:])
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    app.run(main)
