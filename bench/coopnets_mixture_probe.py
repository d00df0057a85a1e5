"""What CoopNets does on a 2-D mixture, step by step (issue 16, part 2).

    .venv/bin/python bench/coopnets_mixture_probe.py --config=configs/coopnets_ring8.py \
        --steps=2000 --every=250 [--set=model.step_size=0.01,model.gen_noise_std=0.01]

Builds the config's model as ``tfgen.trainer`` does, trains it with ``fit`` on
``data.make_dataset(name, batch, seed=seed)`` (not the trainer's loop, so the
numbers differ a little from ``bench/mode_coverage.py``'s) and,
every ``--every`` steps, measures on a fixed batch of 2,500 latents:

* the generator's samples g(X̂): modes covered, high-quality fraction (3 std),
  mean distance to the nearest mode, mean radius (ring8);
* the drafts Ŷ = g(X̂) + e and the revised Ỹ after l_D Langevin steps of
  eq. (4): mean nearest-mode distance of each (does the revision move the
  drafts towards the modes?), and the high-quality fraction of Ỹ;
* the Langevin step's parts at the drafts: mean |drift| = (δ²/2)|∂ log p/∂Y|
  against the noise δ·E|U| (2-D: δ·√(π/2));
* the descriptor's scores at the modes' centres, halfway between
  neighbouring modes, at the origin, and on the observed data.

Prints one JSON line per measurement and a summary object at the end.
"""

import json
import sys
import time

import numpy as np
from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_string("config", None, "Config file (a 2-D mixture).")
flags.DEFINE_integer("steps", 2000, "Training steps.")
flags.DEFINE_integer("every", 250, "Measure every this many steps.")
flags.DEFINE_integer("seed", 0, "config.seed.")
flags.DEFINE_list("set", [], "Overrides field.path=value (Python literals).")
flags.mark_flags_as_required(["config"])
FLAGS = flags.FLAGS


def load_config(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("cfg", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def apply_overrides(c, overrides):
    import ast

    for item in overrides:
        key, value = item.split("=", 1)
        *parents, leaf = key.split(".")
        node = c
        for p in parents:
            node = node[p]
        node[leaf] = ast.literal_eval(value)


def nearest(x, centers):
    d = np.linalg.norm(x[:, None] - centers[None], axis=-1)
    return d.min(1)


def measure(model, spec, step):
    import tensorflow as tf

    from tfgen.metrics import mixture_mode_stats

    z = model.latent_prior().sample(2500, tf.constant([7, 0], tf.int32))
    g = model.generator(z, training=False)
    y_hat = g
    if model.add_gen_noise:
        y_hat = g + model.gen_noise_std * tf.random.stateless_normal(
            tf.shape(g), tf.constant([8, 0], tf.int32))
    y_tilde = model.revise(y_hat, tf.constant([9, 0], tf.int32)).numpy()
    inv_var = 1.0 / model.ref_std ** 2
    with tf.GradientTape() as tape:
        tape.watch(y_hat)
        log_p = tf.reduce_sum(model.score(y_hat)) - 0.5 * inv_var * tf.reduce_sum(y_hat ** 2)
    grad = tape.gradient(log_p, y_hat).numpy()
    delta = model.step_size
    c = spec.centers
    mids = 0.5 * (c + np.roll(c, -1, axis=0)) if spec.name == "ring8" else c + [1.0, 0.0]
    score = lambda p: float(np.mean(model.score(tf.constant(p, tf.float32)).numpy()))
    g = g.numpy()
    stats = mixture_mode_stats(g, c, spec.std)
    rev = mixture_mode_stats(y_tilde, c, spec.std)
    return {
        "step": step,
        "modes": stats["modes_covered"], "hq": round(stats["high_quality_fraction"], 4),
        "dist_g": round(float(nearest(g, c).mean()), 4),
        "radius_g": round(float(np.linalg.norm(g, axis=1).mean()), 3),
        "spread_g": round(float(np.std(g, axis=0).mean()), 3),
        "dist_draft": round(float(nearest(y_hat.numpy(), c).mean()), 4),
        "dist_revised": round(float(nearest(y_tilde, c).mean()), 4),
        "modes_revised": rev["modes_covered"], "hq_revised": round(rev["high_quality_fraction"], 4),
        "drift": float(0.5 * delta ** 2 * np.linalg.norm(grad, axis=1).mean()),
        "noise": float(delta * np.sqrt(np.pi / 2)),
        "f_modes": score(c), "f_between": score(mids), "f_origin": score(np.zeros((1, 2))),
    }


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import data, trainer
    from tfgen.distribute import make_strategy

    c = load_config(FLAGS.config)
    c.seed = FLAGS.seed
    apply_overrides(c, FLAGS.set)
    import keras

    strategy = make_strategy(0)
    keras.utils.set_random_seed(c.seed)
    info = trainer.dataset_info(c)
    model = trainer.build(c, strategy, info)
    spec = data.mixture_spec(c.data.name)
    ds = data.make_dataset(c.data.name, c.data.batch_size, seed=c.seed)
    rows, start = [], time.time()
    rows.append(measure(model, spec, 0))
    print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    done = 0
    while done < FLAGS.steps:
        n = min(FLAGS.every, FLAGS.steps - done)
        hist = model.fit(ds, steps_per_epoch=n, epochs=1, verbose=0).history
        done += n
        row = measure(model, spec, done)
        row.update({k: float(v[-1]) for k, v in hist.items()})
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps({"probe": FLAGS.config, "seed": FLAGS.seed, "set": FLAGS.set,
                      "final": rows[-1], "wall_time_s": round(time.time() - start, 1)}))


if __name__ == "__main__":
    cli.run(main)
