"""Helpers for tests of any method: same step on N replicas vs one device."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import keras
import numpy as np
import tensorflow as tf

from tfgen.models.base import Game


def weights_after_steps(strategy, make_model, batch, steps: int = 1,
                        seed: int = 0) -> list:
    """Builds a model under ``strategy`` and trains it ``steps`` steps on ``batch``.

    Args:
      strategy: the tf.distribute strategy.
      make_model: () -> (model, {player: optimizer}); called in scope after
        seeding Keras, so every strategy starts from the same weights.
      batch: one global batch (array or tuple of arrays), reused each step.
      steps: train steps.
      seed: Keras global seed for the initial weights.

    Returns:
      The model's weights as NumPy arrays, in a fixed order.
    """
    keras.utils.set_random_seed(seed)
    with strategy.scope():
        model, optimizers = make_model()
        model.compile(optimizers, jit_compile=False)
    ds = tf.data.Dataset.from_tensors(batch).repeat()
    model.fit(ds, steps_per_epoch=steps, epochs=1, verbose=0)
    return [np.asarray(w) for w in model.weights]


def max_abs_difference(a: list, b: list) -> float:
    assert len(a) == len(b), (len(a), len(b))
    return max(float(np.max(np.abs(x - y))) if x.size else 0.0
               for x, y in zip(a, b))


# Runs a tool's main once per argument list inside one Python process (one
# TensorFlow start-up for many cases); prints each case's exit code, stdout
# and stderr as JSON.
TOOL_DRIVER = """
import contextlib, importlib.util, io, json, sys, traceback
tool, cases = sys.argv[1], json.loads(sys.argv[2])
sys.argv = [tool]
spec = importlib.util.spec_from_file_location("tool", tool)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from absl import flags
results = []
for args in cases:
    flags.FLAGS.unparse_flags()
    flags.FLAGS([tool, *args])
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            module.main([tool])
        except SystemExit as e:
            code = e.code
        except BaseException:
            traceback.print_exc()
            code = "traceback"
    results.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
"""


def run_tool_cases(tool: str, cases: list, cwd: str, timeout: int = 300) -> list:
    """[{"code", "stdout", "stderr"}] of ``tool`` (a tools/*.py path) per case."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    p = subprocess.run([sys.executable, "-c", TOOL_DRIVER, tool, json.dumps(cases)],
                       cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def train_with_target_labels(folder, configure, steps: int = 3, batch: int = 8):
    """Trains one domain-adaptation model per version of the same target images
    (true labels, other labels, no labels), for a test that target labels
    cannot reach any loss: the three weight lists must be equal.

    Args:
      folder: a ``pathlib.Path`` for the npz files.
      configure: fn(source, target) → config, with data.name / data.target
        set to the given ``npz:`` names.

    Returns:
      ([weights of each run], the last model).
    """
    from tfgen import builders, data

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (64, 12, 12, 3)).astype(np.uint8)
    source = folder / "s.npz"
    np.savez(source, images=images, labels=rng.integers(0, 3, 64))
    weights, model = [], None
    for i, labels in enumerate([rng.integers(0, 3, 64), rng.integers(0, 3, 64), None]):
        target = folder / f"t{i}.npz"
        np.savez(target, images=255 - images,
                 **({} if labels is None else {"labels": labels}))
        c = configure(f"npz:{source}", f"npz:{target}")
        keras.utils.set_random_seed(0)
        info = data.info_for("semi_supervised", c.data.name, target=c.data.target)
        model, opts = builders.build(c, info)
        model.compile(opts)
        ds = data.make("semi_supervised", c.data.name, batch, target=c.data.target, seed=0)
        model.fit(ds, steps_per_epoch=steps, verbose=0)
        weights.append([w.numpy() for w in model.weights])
    return weights, model


def domain_batch(seed: int = 0, n: int = 8, shape=(12, 12, 3)):
    """A ((source images, labels in 0..2), target images) batch whose target is
    shifted and scaled, for domain-adaptation unit tests."""
    rng = np.random.default_rng(seed)
    xs = rng.uniform(-1, 1, (n, *shape)).astype(np.float32)
    ys = rng.integers(0, 3, n).astype(np.int64)
    xt = rng.uniform(-1, 1, (n, *shape)).astype(np.float32) * 0.5 + 0.3
    return (xs, ys), xt


def load_bench(name: str):
    """The module of ``bench/<name>.py`` (scripts beside, not inside, the package)."""
    import importlib.util

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", os.path.join(root, "bench", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checkpoint_steps(workdir: str) -> list:
    """The steps of the checkpoints in ``workdir/checkpoints``, increasing."""
    from tfgen import checkpoints

    return checkpoints.steps_in(os.path.join(workdir, "checkpoints"))


def checkpoint_values(path: str, save_counter: bool = True) -> dict:
    """{name: array} of a checkpoint's tensors (without its object graph);
    ``save_counter=False`` leaves out the count of saves, which differs
    between runs that saved at different steps."""
    reader = tf.train.load_checkpoint(path)
    return {k: reader.get_tensor(k) for k in reader.get_variable_to_shape_map()
            if "OBJECT_GRAPH" not in k and (save_counter or not k.startswith("save_counter"))}


class OneNetGame(Game):
    """A game of one averaged network ``net``: tests of ``tfgen.models.averages``."""

    networks = ("net",)
    ema_networks = ("net",)


def one_net_game(zeros: bool = True, **hparams) -> OneNetGame:
    """A :class:`OneNetGame` whose ``net`` is Dense 3 → 2, zero-initialised
    unless ``zeros`` is false; ``hparams``: ``ema_decay``, ``ema_warmup``,
    ``ema_power``."""
    x = keras.Input((3,))
    init = "zeros" if zeros else "glorot_uniform"
    net = keras.Model(x, keras.layers.Dense(2, kernel_initializer=init,
                                            bias_initializer="zeros")(x))
    return OneNetGame(net, **hparams)
