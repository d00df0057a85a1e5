"""Time of Delta R (forward + backward), smaller-Gram form vs naive n x n form.

    .venv/bin/python bench/rate_reduction.py [--n=1024] [--d=128] [--repeats=20]

Prints one JSON object.
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

from tfgen.losses import delta_r  # noqa: E402

flags.DEFINE_integer("n", 1024, "Samples per set.")
flags.DEFINE_integer("d", 128, "Feature dimension.")
flags.DEFINE_integer("repeats", 20, "Timed calls.")
FLAGS = flags.FLAGS


def naive_delta_r(z, zh, eps_sq=0.5):
    """Delta R with log-determinants of the n x n Gram matrices (slogdet)."""
    def rate(a):
        n, d = tf.cast(tf.shape(a)[0], tf.float32), a.shape[-1]
        g = tf.matmul(a, a, transpose_b=True)
        return 0.5 * tf.linalg.slogdet(tf.eye(tf.shape(a)[0]) + d / (n * eps_sq) * g)[1]
    return rate(tf.concat([z, zh], 0)) - 0.5 * (rate(z) + rate(zh))


def timed(fn, z, zh):
    @tf.function
    def step(z, zh):
        with tf.GradientTape() as tape:
            tape.watch([z, zh])
            val = fn(z, zh)
        return val, tape.gradient(val, [z, zh])

    val = step(z, zh)[0]  # trace
    times = []
    for _ in range(FLAGS.repeats):
        t = time.perf_counter()
        out = step(z, zh)
        _ = out[1][0].numpy()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), float(val)


def main(argv):
    del argv
    rng = np.random.default_rng(0)
    z = tf.math.l2_normalize(tf.constant(rng.standard_normal((FLAGS.n, FLAGS.d)), tf.float32), -1)
    zh = tf.math.l2_normalize(tf.constant(rng.standard_normal((FLAGS.n, FLAGS.d)), tf.float32), -1)
    small, v1 = timed(delta_r, z, zh)
    naive, v2 = timed(naive_delta_r, z, zh)
    print(json.dumps({
        "benchmark": "rate_reduction_forward_backward", "n": FLAGS.n, "d": FLAGS.d,
        "median_s_smaller_gram": round(small, 6), "median_s_naive_nxn": round(naive, 6),
        "speedup": round(naive / small, 2), "delta_r_values": [v1, v2],
        "tensorflow": tf.__version__, "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "command": " ".join([".venv/bin/python bench/rate_reduction.py"] + sys.argv[1:]),
    }, indent=1))


if __name__ == "__main__":
    app.run(main)
