"""The fit loop of a run: the data stream, the callbacks, ``model.fit`` per epoch.

Called by :func:`tfgen.trainer.run` once the model is built, restored and
the workdir locked. One Keras epoch is ``train.checkpoint_every`` steps; the
loop stops cleanly on a non-finite loss or weight (no checkpoint from that
state) and on SIGINT / SIGTERM (a checkpoint first).
"""

from __future__ import annotations

import os
import signal
import sys

import tensorflow as tf

from tfgen import callbacks as cbs
from tfgen import checkpoints, cli, data
from tfgen import workdir as workdir_lib


class TrainingError(RuntimeError):
    """Training stopped for a reason the user must act on."""


def train(config, workdir, model, info, batch, manager, start, verbose):
    """Trains ``model`` from step ``start`` to ``config.train.steps``.

    Raises:
      TrainingError: a loss or weight became NaN or infinite (nothing from
        that state is saved).
      cli.Interrupted: SIGINT or SIGTERM (after saving a checkpoint).
    """
    total, every = config.train.steps, config.train.checkpoint_every
    ds = data.make_dataset(
        config.data.name, batch, data_dir=config.data.data_dir or None,
        seed=config.seed, start_batch=start,
        image_size=config.data.image_size or None,
        with_labels=model.data_kind == "labelled",
        autotune=data_autotune(config))
    step_fn = lambda: model.step_counter.numpy()  # noqa: E731
    writer = tf.summary.create_file_writer(os.path.join(workdir, "tb"))
    nan_guard = cbs.StopOnNonFinite(step_fn)
    stopper = cbs.StopOnSignal()
    timer = cbs.StepTimer()
    saver = cbs.CheckpointEvery(manager, step_fn, guard=nan_guard)
    reference = None
    if len(info.shape) == 1 and info.shape[0] == 2:
        reference = data.mixture_spec(config.data.name).centers
    callbacks = [
        nan_guard, stopper, timer,
        cbs.ScalarLogger(writer, config.train.log_every, step_fn),
        cbs.SampleGrid(os.path.join(workdir, "samples"),
                       config.train.sample_every,
                       config.train.num_sample_images, step_fn, writer,
                       reference=reference),
        saver,
    ] + list(extra_callbacks(config, writer, step_fn))
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2
    with stopper.installed():
        for fit_args in epochs(start, total, every):
            model.fit(ds, callbacks=callbacks, verbose=verbose, **fit_args)
            if nan_guard.failure or stopper.signum is not None:
                break
    step = int(model.step_counter.numpy())
    if timer.steps:
        print(f"Trained to step {step}: {timer.steps_per_second:.1f} steps/s "
              f"({timer.steps} steps timed inside the loop)")
    latest = manager.latest_checkpoint
    if nan_guard.failure:
        key, value, at = nan_guard.failure
        where = (f"the last checkpoint with finite weights is {latest}; rerun the "
                 "same command to resume from step "
                 f"{checkpoints.step_of(latest)}" if latest else
                 "no checkpoint was saved; rerun to start again")
        workdir_lib.log(workdir, f"stopped: {key} became {value} at step {at}")
        raise TrainingError(
            f"{key} became {value} at step {at}; training stopped without saving "
            f"that state and {where} after lowering the learning rates "
            "(--config.optim.*_lr; a resume applies them) or adding a penalty")
    if stopper.signum is not None:
        saved = saver.save()
        name = "SIGINT" if stopper.signum == signal.SIGINT else "SIGTERM"
        code = cli.EXIT_SIGINT if stopper.signum == signal.SIGINT else cli.EXIT_SIGTERM
        resume_at = checkpoints.step_of(saved or latest) if (saved or latest) else 0
        workdir_lib.log(workdir, f"stopped by {name} at step {step}")
        raise cli.Interrupted(
            f"interrupted ({name}) at step {step}; rerun the same command to "
            f"resume from step {resume_at}", code)
    workdir_lib.log(workdir, f"trained to step {step}")


def data_autotune(config) -> bool:
    """tf.data autotuning: ``train.data_autotune`` auto|on|off.

    ``auto`` is on: on this 2-core CPU, turning it off did not make the
    trainer's pipeline faster (docs/BENCHMARKS.md, "tf.data autotuning"),
    and on GPUs the input pipeline needs the parallelism it tunes.
    """
    mode = str(config.train.data_autotune).lower()
    if mode not in ("auto", "on", "off"):
        raise ValueError(f"train.data_autotune must be auto, on or off, got {mode!r}")
    return mode != "off"


def epochs(start: int, total: int, every: int) -> list:
    """``model.fit`` arguments taking steps ``start``..``total`` in epochs of ``every``.

    One Keras epoch per checkpoint; a final shorter epoch when ``total`` is not
    a multiple of ``every`` (Keras epochs all have one length, hence two calls).
    """
    calls, step = [], start
    if step % every and step < total:  # resumed off the grid: back onto it
        head = min(total, (step // every + 1) * every) - step
        calls.append(dict(steps_per_epoch=head, epochs=1))
        step += head
    full = total // every * every
    if step < full:
        calls.append(dict(steps_per_epoch=every, epochs=full // every,
                          initial_epoch=step // every))
        step = full
    if step < total:
        calls.append(dict(steps_per_epoch=total - step, epochs=1))
    return calls


def extra_callbacks(config, writer, step_fn):
    """Periodic evaluation when ``eval.every`` > 0 and ``eval.metrics`` is set."""
    names = [m for m in config.eval.metrics.split(",") if m]
    if config.eval.every <= 0 or not names:
        return ()
    return (cbs.EvaluateEvery(config.data.name, names, config.eval.every,
                              config.eval.num_samples,
                              step_fn, writer, config.data.data_dir or None),)
