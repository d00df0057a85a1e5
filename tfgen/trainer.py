"""The training loop behind ``tools/train.py``: config in, trained model out.

``run(config, workdir)`` builds the data pipeline and the model under the
strategy, restores the latest checkpoint in ``workdir`` if there is one, trains
with ``model.fit`` (one Keras epoch = ``train.checkpoint_every`` steps), and
exports the generator to ``workdir/export``. Rerunning the same command after
a crash or kill resumes from the last checkpoint.

Layout of ``workdir``::

    config.json        the config of the run (checked on resume)
    checkpoints/       tf.train checkpoints: networks, optimizers, step
    samples/           PNG sample grids (fixed latents)
    tb/                TensorBoard scalars and images
    export/            the SavedModel (see tfgen.export)
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys

import keras
import tensorflow as tf

from tfgen import callbacks as cbs
from tfgen import config as config_lib
from tfgen import data, distribute, export, registry


class TrainingError(RuntimeError):
    """Training stopped for a reason the user must act on."""


def _plain(value):
    """A config section as plain JSON data (dicts, lists, numbers, strings)."""
    if hasattr(value, "to_json_best_effort"):
        return json.loads(config_lib.to_json(value))
    return value


def _check_resume_config(workdir: str, config) -> None:
    """Refuses to resume a workdir with a different model or data config."""
    path = os.path.join(workdir, "config.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        old = config_lib.from_json(f.read())
    defaults = config_lib.base_config()
    for key in ("method", "data", "net", "model"):
        a, b = _plain(old[key]), _plain(config[key])
        if isinstance(a, dict) and key in defaults:
            # Keys added to the library since the old run take their defaults.
            for k, v in _plain(defaults[key]).items():
                a.setdefault(k, v)
        if a != b:
            raise TrainingError(
                f"{workdir} holds a run with a different '{key}' config; use a "
                "new --workdir or delete the old one to start over")


def dataset_info(config) -> data.DatasetInfo:
    """The dataset's info with the example shape after ``data.image_size``."""
    info = data.dataset_info(config.data.name, config.data.data_dir or None)
    size = config.data.image_size
    if size and len(info.shape) == 3:
        info = dataclasses.replace(info, shape=(size, size, info.shape[2]))
    return info


def build(config, strategy, info):
    """Model and optimizers for ``config``, created and compiled in scope."""
    build_fn = registry.lookup(registry.methods(), config.method, "method")
    with strategy.scope():
        model, optimizers = build_fn(config, info)
        model.compile(optimizers, jit_compile=config.train.jit_compile)
    return model


def checkpoint_manager(model, workdir: str) -> tf.train.CheckpointManager:
    ckpt = tf.train.Checkpoint(model=model, **model.player_optimizers)
    return tf.train.CheckpointManager(
        ckpt, os.path.join(workdir, "checkpoints"), max_to_keep=3)


def run(config, workdir: str, overwrite_export: bool = False,
        verbose: int | None = None):
    """Trains (or resumes) ``config`` in ``workdir``; returns the model."""
    config_lib.check(config)
    os.makedirs(workdir, exist_ok=True)
    _check_resume_config(workdir, config)
    if config.train.mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_float16")
    strategy = distribute.make_strategy(config.train.cpu_replicas)
    data_dir = config.data.data_dir or None
    info = dataset_info(config)

    model = build(config, strategy, info)
    net = model.generator if model.generator is not None else model.descriptor
    shape = net.output_shape[1:] if model.generator is not None else net.input_shape[1:]
    data.check_shape(info.shape, shape, config.data.name)
    manager = checkpoint_manager(model, workdir)
    if manager.latest_checkpoint:
        manager.checkpoint.restore(manager.latest_checkpoint).assert_existing_objects_matched()
    start = int(model.step_counter.numpy())
    with open(os.path.join(workdir, "config.json"), "w") as f:
        f.write(config_lib.to_json(config))

    total = config.train.steps
    every = config.train.checkpoint_every
    if start > 0:
        print(f"Resuming from step {start} ({manager.latest_checkpoint})")
    if start < total:
        per_step = getattr(model, "examples_per_step", 1)
        ds = data.make_dataset(
            config.data.name, config.data.batch_size * per_step,
            data_dir=data_dir, seed=config.seed + start,
            image_size=config.data.image_size or None)
        step_fn = lambda: model.step_counter.numpy()  # noqa: E731
        writer = tf.summary.create_file_writer(os.path.join(workdir, "tb"))
        nan_guard = cbs.StopOnNonFinite(step_fn)
        reference = None
        if len(info.shape) == 1 and info.shape[0] == 2:
            reference = data.mixture_spec(config.data.name).centers
        callbacks = [
            nan_guard,
            cbs.ScalarLogger(writer, config.train.log_every, step_fn),
            cbs.SampleGrid(os.path.join(workdir, "samples"),
                           config.train.sample_every,
                           config.train.num_sample_images, step_fn, writer,
                           reference=reference),
            cbs.CheckpointEvery(manager, step_fn),
        ] + list(extra_callbacks(config, writer, step_fn))
        if verbose is None:
            verbose = 1 if sys.stdout.isatty() else 2
        for fit_args in _epochs(start, total, every):
            model.fit(ds, callbacks=callbacks, verbose=verbose, **fit_args)
            if nan_guard.failure:
                key, value, step = nan_guard.failure
                raise TrainingError(
                    f"{key} became {value} at step {step}; training stopped. The "
                    f"last good checkpoint is {manager.latest_checkpoint}: lower "
                    "the learning rates (--config.optim.*_lr) or add a penalty, "
                    "then rerun")
    export_dir = os.path.join(workdir, "export")
    if not config.export.enabled:
        return model
    if start >= total and os.path.exists(export_dir) and not overwrite_export:
        print(f"Already trained to step {start}; the export is at "
              f"{export_dir} (pass --overwrite to export again)")
    else:
        # The run's own export is refreshed after further training.
        export_model(model, config, export_dir,
                     overwrite=overwrite_export or start < total)
    return model


def _epochs(start: int, total: int, every: int) -> list:
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


def export_model(model, config, path: str, overwrite: bool = False) -> str:
    """Exports ``model``'s sampling generator with the run's metadata."""
    meta = dict(method=config.method, dataset=config.data.name,
                step=int(model.step_counter.numpy()),
                config=config_lib.to_json(config))
    extra = getattr(model, "export_prior", lambda: {})()
    out = export.export_generator(
        model.sampling_generator(), path, model.latent_dim,
        prior=extra.get("prior", model.prior), metadata=meta,
        overwrite=overwrite, prior_mean=extra.get("mean"),
        prior_tril=extra.get("scale_tril"))
    print(f"Exported the generator to {out}")
    return out


def restore(workdir: str, config=None):
    """Rebuilds the model of ``workdir`` and restores its latest checkpoint."""
    if config is None:
        path = os.path.join(workdir, "config.json")
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"{path} not found; is {workdir} a tools/train.py --workdir?")
        with open(path) as f:
            config = config_lib.from_json(f.read())
    strategy = distribute.make_strategy(0)
    model = build(config, strategy, dataset_info(config))
    manager = checkpoint_manager(model, workdir)
    if not manager.latest_checkpoint:
        raise FileNotFoundError(
            f"no checkpoint in {workdir}/checkpoints; train first with "
            f"tools/train.py --workdir={workdir}")
    manager.checkpoint.restore(manager.latest_checkpoint).expect_partial()
    return model, config
