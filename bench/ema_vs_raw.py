"""What the generator's weight average buys: one checkpoint, both generators scored.

    .venv/bin/python bench/ema_vs_raw.py --workdir=runs/best_ema \
        --metrics=fid --num_samples=2000 --fid_num_real=2000 \
        --data_dir=../shared/data --out=bench/results/ema_vs_raw.json

A run trained with ``model.ema_decay`` > 0 keeps, beside the generator the
optimizer updates ("raw"), the exponential moving average of its weights
("averaged", what exports and samples use; Karras et al. 2018, Yazici et al.
2019). This restores the workdir's newest checkpoint and evaluates both with
the same latents, metrics and real images, so the difference is the average
alone, at no extra training. ``--weights`` picks one of them (a 10k FID of
each takes a while). Writes the JSON to ``--out`` (refused if it exists,
unless ``--overwrite``) and prints it.
"""

import json
import os
import sys

from absl import flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tfgen import cli  # noqa: E402

cli.quiet_tensorflow()

FLAGS = flags.FLAGS
WEIGHTS = ("raw", "averaged")


def define_flags():
    """The script's flags (defined when run, so tests can import its functions)."""
    flags.DEFINE_string("workdir", None, "A tools/train.py --workdir trained with "
                        "ema_decay > 0.")
    flags.DEFINE_list("weights", list(WEIGHTS), "Which generators to score.")
    flags.DEFINE_list("metrics", ["fid"], "Metrics (tfgen.evaluation.METRICS).")
    flags.DEFINE_integer("num_samples", 2000, "Generated samples per generator.")
    flags.DEFINE_integer("fid_num_real", None, "Real images behind FID (default: the "
                         "split).")
    flags.DEFINE_string("data_dir", None, "Data folder.")
    flags.DEFINE_string("out", None, "JSON to write.")
    flags.DEFINE_bool("overwrite", False, "Replace --out.")
    flags.mark_flags_as_required(["workdir", "out"])


def generators(model) -> dict:
    """{"raw": the trained generator, "averaged": its EMA copy}."""
    if not getattr(model, "ema_decay", 0.0):
        raise ValueError("this run has no weight average (model.ema_decay is 0); train "
                         "with --config.model.ema_decay=0.999 to compare")
    return {"raw": model.generator, "averaged": model.averaged("generator")}


@cli.one_line_errors
def main(argv):
    del argv
    unknown = sorted(set(FLAGS.weights) - set(WEIGHTS))
    if unknown:
        raise ValueError(f"--weights={unknown[0]} is unknown; use {', '.join(WEIGHTS)}")
    from tfgen import atomic_write, evaluation, trainer
    from tfgen.export_parts.sample import SamplePart

    atomic_write.refuse_existing(FLAGS.out, FLAGS.overwrite)
    model, config = trainer.restore(FLAGS.workdir)
    nets = generators(model)
    data_dir = FLAGS.data_dir or config.data.data_dir or None
    scores = {}
    for name in FLAGS.weights:
        part = SamplePart(nets[name], model.latent_prior())  # callable in process
        result = evaluation.evaluate_sampler(
            evaluation.sampler(part), config.data.name, FLAGS.metrics, FLAGS.num_samples,
            data_dir, fid_num_real=FLAGS.fid_num_real)
        scores[name] = result["metrics"]
        print(f"{name}: {json.dumps(result['metrics'])}", file=sys.stderr)
    out = dict(benchmark="ema_vs_raw", workdir=FLAGS.workdir, method=config.method,
               dataset=config.data.name, step=int(model.step_counter.numpy()),
               ema_decay=float(model.ema_decay), num_samples=FLAGS.num_samples,
               fid_num_real=FLAGS.fid_num_real, metrics=scores,
               command=" ".join([".venv/bin/python bench/ema_vs_raw.py"] + sys.argv[1:]))
    print(atomic_write.write_json(FLAGS.out, out))


if __name__ == "__main__":
    define_flags()
    cli.run(main)
