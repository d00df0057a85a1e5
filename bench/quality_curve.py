"""Quality against training steps and minutes: one config, evaluated as it trains.

    .venv/bin/python bench/quality_curve.py --config=configs/dcgan_mnist_best.py \
        --workdir=runs/qc/best --at=1000,2000,4000 --metrics=fcd \
        --num_samples=5000 --data_dir=../shared/data \
        --out=bench/results/quality_curve_best.json [--plot_with=other.json]

Trains to each step of ``--at`` in turn, exports, and evaluates the export.
Each segment resumes the previous one's checkpoint, so the data stream, the
random stream and the optimizers' step counts continue (on CPU a resumed run
equals an uninterrupted one, tests/test_training_robustness.py). A run
already in ``--workdir`` (the same config, fewer steps) is resumed too, and
``--start_json`` (its bench/quality.py JSON, or this script's JSON of the
run so far) gives the curve its first points.

Minutes are in-loop training time (the trainer's step timer,
NOTES-keras3.md #12) summed over the segments, without evaluation, tracing
or exports. On a shared machine they depend on the other jobs, so the PNG
(FCD where measured, else the first metric) is drawn against steps. The
config's ``train.steps`` is replaced by the segment ends: a schedule that
must span the whole run is set by its own field (``optim.lr_decay_steps``).
Writes the JSON to ``--out`` (and prints it) and the PNG beside it, with the
curves of the ``--plot_with`` JSONs on the same axes (their paths are kept in
the JSON's ``plot_with``); bench/figures.py draws it and redraws it from the
JSON: ``.venv/bin/python bench/figures.py [--overwrite] <out>``.
"""

import contextlib
import io
import json
import os
import sys

from absl import flags
from ml_collections import config_flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import figures  # noqa: E402  (bench/figures.py, beside this script: draws the PNG)
from tfgen import cli, progress  # noqa: E402

cli.quiet_tensorflow()

config_flags.DEFINE_config_file("config", None, "Experiment config.", lock_config=True)
flags.DEFINE_string("workdir", None, "Training directory; a run there is resumed.")
flags.DEFINE_list("at", None, "Steps at which to evaluate, increasing.")
flags.DEFINE_list("metrics", ["fcd"], "Metrics (tfgen.evaluation.METRICS).")
flags.DEFINE_integer("num_samples", 5000, "Generated samples per evaluation.")
flags.DEFINE_integer("fid_num_real", None, "Real images behind FID (default: the split).")
flags.DEFINE_string("data_dir", None, "Data folder.")
flags.DEFINE_string("out", None, "JSON to write (refused if it exists, unless --overwrite).")
flags.DEFINE_list("plot_with", [], "Other curve JSONs drawn in the same PNG.")
flags.DEFINE_string("label", None, "The run's name in the JSON and the PNG's legend "
                    "(default: the config file's name).")
flags.DEFINE_bool("overwrite", False, "Replace --out and its PNG.")
flags.DEFINE_string("start_json", None, "bench/quality.py JSON of the resumed run at its "
                    "start step: its metrics become the curve's first point.")
flags.mark_flags_as_required(["config", "workdir", "at", "out"])
FLAGS = flags.FLAGS

class _Tee(io.StringIO):
    """Keeps what is written and passes it on to ``stream``."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def write(self, text):
        self.stream.write(text)
        return super().write(text)


def resumed_step(workdir: str) -> int:
    """The step of ``workdir``'s newest checkpoint (0 without one)."""
    import tensorflow as tf

    from tfgen import checkpoints

    latest = tf.train.latest_checkpoint(os.path.join(workdir, "checkpoints"))
    return checkpoints.step_of(latest) if latest else 0


def segment_ends(at) -> list:
    ends = [int(s) for s in at]
    if not ends or ends[0] <= 0 or any(b <= a for a, b in zip(ends, ends[1:])):
        raise ValueError(f"--at must be increasing positive steps, got {','.join(at)}")
    return ends


@cli.one_line_errors
def main(argv):
    del argv
    from tfgen import atomic_write, evaluation, trainer

    atomic_write.refuse_existing(FLAGS.out, FLAGS.overwrite, siblings="_*.png")
    for path in FLAGS.plot_with:  # read after training: check before it starts
        if not os.path.isfile(path):
            raise FileNotFoundError(f"--plot_with={path} does not exist")
    ends = segment_ends(FLAGS.at)
    start = resumed_step(FLAGS.workdir)
    if start >= ends[0]:
        raise ValueError(f"--workdir={FLAGS.workdir} holds a run at step {start}; the "
                         f"first --at step must be later (got {ends[0]})")
    config = FLAGS.config
    if FLAGS.data_dir:
        config.data.data_dir = FLAGS.data_dir
    config.train.checkpoint_every = min(config.train.checkpoint_every, ends[0])
    trajectory, seconds = [], 0.0
    if FLAGS.start_json:
        with open(FLAGS.start_json) as f:
            first = json.load(f)
        if "trajectory" in first:  # an earlier curve of this run: continue it
            trajectory = first["trajectory"]
            seconds = 60 * (trajectory[-1]["minutes"] or 0.0)
            at = trajectory[-1]["step"]
        else:
            at = first["steps"]
            trajectory.append(dict(step=at, minutes=None, steps_per_second=None,
                                   metrics=first["metrics"], source=FLAGS.start_json))
        if at != start:
            raise ValueError(f"--start_json={FLAGS.start_json} ends at step {at}, the run "
                             f"in --workdir is at step {start}")
    for i, end in enumerate(ends):
        config.train.steps = end
        tee = _Tee(sys.stderr)
        with contextlib.redirect_stdout(tee):  # stdout: the JSON only
            trainer.run(config, FLAGS.workdir, verbose=2)
        rate = progress.in_loop_rate(tee.getvalue())
        seconds += (end - (ends[i - 1] if i else start)) / rate
        result = evaluation.evaluate(os.path.join(FLAGS.workdir, "export"),
                                     config.data.name, FLAGS.metrics, FLAGS.num_samples,
                                     config.data.data_dir or None,
                                     fid_num_real=FLAGS.fid_num_real)
        trajectory.append(dict(step=end, minutes=round(seconds / 60, 3),
                               steps_per_second=rate,
                               metrics=result["metrics"]))
        print(f"step {end}: {json.dumps(result['metrics'])}", file=sys.stderr)
    label = FLAGS.label or os.path.splitext(os.path.basename(
        config_flags.get_config_filename(FLAGS["config"])))[0]
    out = dict(benchmark="quality_curve", label=label,
               config=config.to_dict(), method=config.method, dataset=config.data.name,
               metric_keys=sorted(trajectory[-1]["metrics"]), num_samples=FLAGS.num_samples,
               fid_num_real=FLAGS.fid_num_real,
               seed=config.seed, start_step=start, trajectory=trajectory,
               plot_with=FLAGS.plot_with,
               command=" ".join([".venv/bin/python bench/quality_curve.py"] + sys.argv[1:]))
    print(atomic_write.write_json(FLAGS.out, out))
    for path in figures.write(FLAGS.out, out, overwrite=FLAGS.overwrite):
        print(path, file=sys.stderr)


if __name__ == "__main__":
    cli.run(main)
