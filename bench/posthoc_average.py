"""What a differently shaped weight average would have bought, after the fact.

    .venv/bin/python tools/train.py --config=<config> --workdir=<workdir> \
        --config.train.keep_every=500
    .venv/bin/python bench/posthoc_average.py --workdir=<workdir> \
        --checkpoints=<workdir>/checkpoints/kept \
        --powers=0.5,1,2,4,8 --metrics=fcd,kid --num_samples=5000 --seeds=0,1,2 \
        --data_dir=../shared/data --out=bench/results/posthoc_average.json

A run keeps one average of its generator (``model.ema_decay``, warmed up by
``ema_warmup`` or shaped by ``ema_power``). The raw weights of checkpoints
saved along the run give the others, in the manner of Karras et al. 2024's
post-hoc EMA: for the power-function average with exponent γ
(``tfgen.models.averages``), the update at step k carries the share
``[k^(γ+1) - (k-1)^(γ+1)] / T^(γ+1)``; checkpoint s stands for the steps since
the one before it, p, with the share ``(s/T)^(γ+1) - (p/T)^(γ+1)``, and the
run's own average at the first checkpoint stands for the steps up to it.
With checkpoints every few hundred steps of a run of tens of thousands this
is an approximation (on MNIST at 48,000 steps, checkpoints every 500: the
rebuilt γ = 8 scored FCD 219.1 where the run's own average, close to γ = 8,
scored 219.9). A training run with ``--config.model.ema_power=γ`` is the
exact version.

The trainer keeps only its last three checkpoints (``tfgen.checkpoints``);
``train.keep_every`` also keeps those at multiples of it, in
``checkpoints/kept/``, which is the folder this reads. Each variant is
scored on every sampling seed of ``--seeds`` with the same latents, metrics
and real images. Writes the JSON to ``--out`` (refused if it exists, unless
``--overwrite``) and prints it.
"""

import json
import os
import sys

import numpy as np
from absl import flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tfgen import cli  # noqa: E402

cli.quiet_tensorflow()

FLAGS = flags.FLAGS


def define_flags():
    """The script's flags (defined when run, so tests can import its functions)."""
    flags.DEFINE_string("workdir", None, "The tools/train.py --workdir of the run.")
    flags.DEFINE_string("checkpoints", None, "Folder of the run's checkpoints "
                        "(ckpt-<step>.index and data files), e.g. WORKDIR/checkpoints/"
                        "kept of a run trained with --config.train.keep_every=500.")
    flags.DEFINE_list("powers", ["0.5", "1", "2", "4", "8"], "Exponents γ to rebuild.")
    flags.DEFINE_list("metrics", ["fcd", "kid"], "Metrics (tfgen.evaluation.METRICS).")
    flags.DEFINE_integer("num_samples", 5000, "Generated samples per variant and seed.")
    flags.DEFINE_list("seeds", ["0"], "Sampling seeds.")
    flags.DEFINE_integer("fid_num_real", None, "Real images behind FID (default: the "
                         "split).")
    flags.DEFINE_string("data_dir", None, "Data folder.")
    flags.DEFINE_string("out", None, "JSON to write.")
    flags.DEFINE_bool("overwrite", False, "Replace --out.")
    flags.mark_flags_as_required(["workdir", "checkpoints", "out"])


def checkpoint_steps(folder: str) -> list:
    """The steps of the ``ckpt-<step>`` checkpoints in ``folder``, ascending."""
    from tfgen import checkpoints

    steps = checkpoints.steps_in(folder)
    if len(steps) < 2:
        raise ValueError(f"{folder} holds {len(steps)} checkpoint(s); the average "
                         "needs the run's checkpoints along the way (at least 2)")
    return steps


def power_shares(steps, power: float) -> np.ndarray:
    """Shares of the power-γ average at ``steps[-1]``: [first checkpoint's own
    average, then each later checkpoint's raw weights]; they sum to 1."""
    t = np.asarray(steps, np.float64) / steps[-1]
    cum = t ** (power + 1.0)
    return np.concatenate([cum[:1], np.diff(cum)])


def combine(first_average, raws, shares) -> list:
    """``shares[0] * first_average + Σ shares[i] * raws[i - 1]``, per weight."""
    if len(raws) + 1 != len(shares):
        raise ValueError(f"{len(shares)} shares for {len(raws) + 1} weight sets")
    return [shares[0] * np.asarray(a, np.float64)
            + sum(s * np.asarray(r[i], np.float64) for s, r in zip(shares[1:], raws))
            for i, a in enumerate(first_average)]


@cli.one_line_errors
def main(argv):
    del argv
    powers = [float(p) for p in FLAGS.powers]
    if any(p < 0 for p in powers):
        raise ValueError(f"--powers must be >= 0, got {FLAGS.powers}")
    seeds = [int(s) for s in FLAGS.seeds]
    import keras
    import tensorflow as tf

    from tfgen import atomic_write, evaluation, trainer
    from tfgen.export_parts.sample import SamplePart

    atomic_write.refuse_existing(FLAGS.out, FLAGS.overwrite)
    steps = checkpoint_steps(FLAGS.checkpoints)
    model, config = trainer.restore(FLAGS.workdir)
    if not getattr(model, "ema_decay", 0.0):
        raise ValueError("this run has no weight average (model.ema_decay is 0); the "
                         "first checkpoint's average stands for the steps before it")
    ckpt = tf.train.Checkpoint(model=model, **model.player_optimizers)
    raws, first_average = [], None
    for s in steps:
        ckpt.restore(os.path.join(FLAGS.checkpoints, f"ckpt-{s}")).expect_partial()
        if int(model.step_counter.numpy()) != s:
            raise ValueError(f"ckpt-{s} in {FLAGS.checkpoints} holds step "
                             f"{int(model.step_counter.numpy())}; name them by their step")
        if s == steps[0]:
            first_average = model.averaged("generator").get_weights()
        else:
            raws.append(model.generator.get_weights())
    variants = {"run": model.averaged("generator").get_weights()}  # the last one's
    for p in powers:
        variants[f"power_{p:g}"] = combine(first_average, raws, power_shares(steps, p))
    data_dir = FLAGS.data_dir or config.data.data_dir or None
    scores = {}
    for name, weights in variants.items():
        net = keras.models.clone_model(model.generator)
        net.set_weights([np.asarray(w, np.float32) for w in weights])
        sample = evaluation.sampler(SamplePart(net, model.latent_prior()))
        per_seed = [evaluation.evaluate_sampler(
            sample, config.data.name, FLAGS.metrics, FLAGS.num_samples, data_dir, seed=s,
            fid_num_real=FLAGS.fid_num_real)["metrics"] for s in seeds]
        scores[name] = dict(per_seed=per_seed)
        print(f"{name}: {json.dumps(per_seed)}", file=sys.stderr)
    out = dict(benchmark="posthoc_average", workdir=FLAGS.workdir, method=config.method,
               dataset=config.data.name, steps=[steps[0], steps[-1]],
               checkpoints=len(steps), run_average=dict(
                   ema_decay=float(model.ema_decay), ema_warmup=bool(model.ema_warmup),
                   ema_power=float(getattr(model, "ema_power", 0.0))),
               num_samples=FLAGS.num_samples, seeds=seeds, fid_num_real=FLAGS.fid_num_real,
               metrics=scores,
               command=" ".join([".venv/bin/python bench/posthoc_average.py"] + sys.argv[1:]))
    print(atomic_write.write_json(FLAGS.out, out))


if __name__ == "__main__":
    define_flags()
    cli.run(main)
