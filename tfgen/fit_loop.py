"""The fit loop of a run: the data stream, the callbacks, ``model.fit`` per epoch.

Called by :func:`tfgen.trainer.run` once the model is built, restored and
the workdir locked. One Keras epoch is ``train.checkpoint_every`` steps; the
loop stops cleanly on a non-finite loss or weight (no checkpoint from that
state) and on SIGINT / SIGTERM (a checkpoint first).
"""

from __future__ import annotations

import contextlib
import math
import os
import signal

import tensorflow as tf

from tfgen import callbacks as cbs
from tfgen import checkpoints, cli, data, distribute, progress
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
    step_fn = lambda: model.step_counter.numpy()  # noqa: E731
    chief = distribute.worker(model.distribute_strategy)[2]
    # Only the chief writes logs, samples and evaluations (multi-worker).
    writer = (tf.summary.create_file_writer(os.path.join(workdir, "tb")) if chief
              else tf.summary.create_noop_writer())
    nan_guard = cbs.StopOnNonFinite(step_fn)
    stopper = cbs.StopOnSignal()
    timer = cbs.StepTimer(step_fn)
    saver = cbs.CheckpointEvery(manager, step_fn, guard=nan_guard,
                                keep_every=config.train.keep_every)
    reference = data.reference_points(config.data.name)
    # One display for the whole run (Keras' own bar would restart at each fit).
    bar = progress.RunProgress(start, total, step_fn, mode=progress.mode_for(verbose))
    callbacks = [
        nan_guard, stopper, timer,
        cbs.ConfigSummary(writer, config, step_fn, trial_id=os.path.abspath(workdir)),
        cbs.ScalarLogger(writer, config.train.log_every, step_fn, first_step=True),
        cbs.SampleGrid(os.path.join(workdir, "samples"),
                       config.train.sample_every if chief else 0,
                       config.train.num_sample_images, step_fn, writer,
                       reference=reference),
        saver,
    ] + list(extra_callbacks(config, writer, step_fn) if chief else ()) + [bar]
    n, wanted = steps_per_execution(config, model), config.train.steps_per_execution
    if chief and n < wanted:
        print(f"train.steps_per_execution {wanted} runs as {n}: the largest divisor of "
              "it that divides every checkpoint, log, sample and evaluation interval "
              "(staged games, and runs on several replicas, run 1)")
    with stopper.installed(), bar_finished(bar):
        for fit_args in epochs(start, total, every):
            # A resume off the checkpoint grid, or a short last epoch, may need less.
            use_steps_per_execution(model, math.gcd(n, fit_args["steps_per_epoch"]))
            # Each fit call iterates its dataset from the start, so each gets
            # the stream from the step it starts at (one stream for all calls
            # would repeat batches after a resume off the grid or before a
            # short last epoch). shuffle=False: the stream is shuffled already.
            ds = dataset(config, model, batch, int(step_fn()))
            model.fit(ds, callbacks=callbacks, verbose=0, shuffle=False, **fit_args)
            if nan_guard.failure or stopper.signum is not None:
                break
    step = int(model.step_counter.numpy())
    if chief:  # the other workers' paths are scratch
        print(progress.summary(bar, timer, workdir, config.export.enabled,
                               samples=config.train.sample_every > 0))
    latest = manager.latest_checkpoint
    if nan_guard.failure:
        key, value, at = nan_guard.failure
        where = (f"the last checkpoint with finite weights is {latest}; rerun the "
                 "same command to resume from step "
                 f"{checkpoints.step_of(latest)}" if latest else
                 "no checkpoint was saved; rerun to start again")
        if chief:
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
        if chief:
            workdir_lib.log(workdir, f"stopped by {name} at step {step}")
        raise cli.Interrupted(
            f"interrupted ({name}) at step {step}; rerun the same command to "
            f"resume from step {resume_at}", code)
    if chief:
        workdir_lib.log(workdir, f"trained to step {step}")


@contextlib.contextmanager
def bar_finished(bar):
    """Ends the progress line even when training raises (no error mid-line)."""
    try:
        yield bar
    finally:
        bar.finish()


def dataset(config, model, batch: int, start: int):
    """The run's batches from step ``start``: a global batch per step.

    Under several workers each worker reads the same global stream and
    keeps its contiguous slice of every global batch (split again over its
    local replicas), so replica r sees the examples it would see under
    ``MirroredStrategy`` and N workers reproduce one device.
    """
    def make():
        d = config.data
        return data.make(
            model.data_kind, d.name, batch, target=d.target or None,
            data_dir=d.data_dir or None, seed=config.seed, start_batch=start,
            image_size=d.image_size or None, labelled_examples=d.labelled_examples,
            autotune=data_autotune(config))

    strategy = model.distribute_strategy
    if not distribute.is_multi_worker(strategy):
        return make()
    replicas = strategy.num_replicas_in_sync

    def worker_stream(ctx: tf.distribute.InputContext):
        local = ctx.num_replicas_in_sync // ctx.num_input_pipelines
        per_replica = batch // replicas
        lo = ctx.input_pipeline_id * local * per_replica
        hi = lo + local * per_replica
        return data.split_global_batches(make(), lo, hi, per_replica)

    options = tf.distribute.InputOptions(experimental_fetch_to_device=True)
    return strategy.distribute_datasets_from_function(worker_stream, options)


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


def steps_per_execution(config, model) -> int:
    """The steps each call into the compiled loop runs: ``train.steps_per_execution``
    lowered to its largest divisor that divides every callback interval
    (checkpoints, which are also the epochs, scalars, samples, evaluations).

    A callback keyed to ``step % every`` would otherwise miss its step; with
    the divisor every checkpoint, log and sample lands on the step it lands
    on with 1, and the bits are those of 1 (tests/test_steps_per_execution.py).
    Each ``fit`` call lowers it again to divide its epoch, since Keras runs
    whole executions and would overshoot. A staged game switches stages
    between steps, and under several replicas Keras' multi-step loop fails
    to run (TF 2.21, Keras 3: "You must feed a value for placeholder tensor"
    inside its while loop): both run one step per call.
    """
    wanted = int(config.train.steps_per_execution)
    if wanted <= 1 or model.stages or model.distribute_strategy.num_replicas_in_sync > 1:
        return 1
    t = config.train
    sizes = [t.checkpoint_every]
    sizes += [n for n in (t.log_every, t.sample_every, config.eval.every) if n > 0]
    return math.gcd(wanted, *sizes)


def use_steps_per_execution(model, n: int) -> None:
    """Sets Keras' steps per execution to ``n``, retracing only when it changes."""
    if getattr(model, "steps_per_execution", 1) != n:
        model.steps_per_execution = n
        model.train_function = None  # built for the old value


def extra_callbacks(config, writer, step_fn):
    """Periodic evaluation when ``eval.every`` > 0 and ``eval.metrics`` is set."""
    names = [m for m in config.eval.metrics.split(",") if m]
    if config.eval.every <= 0 or not names:
        return ()
    return (cbs.EvaluateEvery(config.data.name, names, config.eval.every,
                              config.eval.num_samples,
                              step_fn, writer, config.data.data_dir or None),)
