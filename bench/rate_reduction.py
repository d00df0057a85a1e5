"""Time of ΔR(Z, Ẑ), forward + backward: n×n Gram forms vs the d×d form.

    .venv/bin/python bench/rate_reduction.py [--n=1024] [--d=128] [--repeats=20]

Three implementations of the same ΔR on n features per set (the union has 2n):

* ``naive_nxn_slogdet``: log det(I_n + α ZZᵀ) by ``tf.linalg.slogdet`` (LU),
  written here independently of tfgen;
* ``nxn_cholesky``: ``tfgen`` ``delta_r(..., form="nxn")`` (Cholesky, n×n);
* ``dxd_cholesky``: ``tfgen`` ``delta_r(..., form="dxd")`` (Cholesky, d×d),
  the form used on several replicas and by "auto" when n ≥ d.

Each is a ``tf.function`` returning ΔR and its gradients with respect to Z and
Ẑ; the median wall time of ``--repeats`` calls after one warm-up call is
reported. Prints one JSON object.
"""

import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from absl import app, flags  # noqa: E402

from tfgen import distribute  # noqa: E402
from tfgen.losses.rate_reduction import delta_r  # noqa: E402

flags.DEFINE_integer("n", 1024, "Samples per set (the union has 2n).")
flags.DEFINE_integer("d", 128, "Feature dimension.")
flags.DEFINE_integer("repeats", 20, "Timed calls per implementation.")
flags.DEFINE_float("eps_sq", 0.5, "ε².")
FLAGS = flags.FLAGS


def naive_delta_r(z, zh, eps_sq):
    """ΔR with slogdet of the n×n matrices I + d/(n ε²) ZZᵀ."""
    def rate(a):
        n, d = tf.cast(tf.shape(a)[0], a.dtype), a.shape[-1]
        gram = tf.matmul(a, a, transpose_b=True)
        return 0.5 * tf.linalg.slogdet(tf.eye(tf.shape(a)[0]) + d / (n * eps_sq) * gram)[1]
    return rate(tf.concat([z, zh], 0)) - 0.5 * (rate(z) + rate(zh))


def time_forward_backward(fn, z, zh, repeats):
    @tf.function
    def step(z, zh):
        with tf.GradientTape() as tape:
            tape.watch([z, zh])
            val = fn(z, zh)
        return val, tape.gradient(val, [z, zh])

    val, _ = step(z, zh)  # trace and warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        _, grads = step(z, zh)
        grads[0].numpy(), grads[1].numpy()  # wait for the result
        times.append(time.perf_counter() - start)
    return float(np.median(times)), float(val)


def main(argv):
    del argv
    rng = np.random.default_rng(0)

    def sphere():
        x = tf.constant(rng.standard_normal((FLAGS.n, FLAGS.d)), tf.float32)
        return tf.math.l2_normalize(x, -1)

    z, zh = sphere(), sphere()
    eps = FLAGS.eps_sq
    impls = {
        "naive_nxn_slogdet": lambda a, b: naive_delta_r(a, b, eps),
        "nxn_cholesky": lambda a, b: delta_r(a, b, eps, form="nxn"),
        "dxd_cholesky": lambda a, b: delta_r(a, b, eps, form="dxd"),
    }
    seconds, values = {}, {}
    for name, fn in impls.items():
        seconds[name], values[name] = time_forward_backward(fn, z, zh, FLAGS.repeats)
    base = seconds["dxd_cholesky"]
    print(json.dumps({
        "benchmark": "delta_r_forward_backward",
        "n_per_set": FLAGS.n, "d": FLAGS.d, "eps_sq": eps, "repeats": FLAGS.repeats,
        "median_seconds_per_call": {k: round(v, 6) for k, v in seconds.items()},
        "speedup_of_dxd_over": {k: round(v / base, 2) for k, v in seconds.items()
                                if k != "dxd_cholesky"},
        "delta_r_values": values,
        "device": distribute.device_name(),
        "load_average_1min": round(os.getloadavg()[0], 2),  # a shared machine is noisy
        "tensorflow": tf.__version__,
        "command": " ".join([".venv/bin/python bench/rate_reduction.py"] + sys.argv[1:]),
    }))


if __name__ == "__main__":
    app.run(main)
