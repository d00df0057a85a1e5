"""The training loop behind ``tools/train.py``: config in, trained model out.

``run(config, workdir)`` checks the config, the data and the model before
it touches ``workdir``; then it takes the workdir's lock, restores the newest
good checkpoint if there is one (``tfgen.checkpoints``; what a resume may
change is ``tfgen.resume``), trains with ``model.fit`` (one Keras epoch =
``train.checkpoint_every`` steps) and exports the generator to
``workdir/export``. Rerunning the same command after a crash, a kill, a
SIGINT/SIGTERM or a divergence resumes from the last good checkpoint; on CPU
the resumed run ends with the same weights as an uninterrupted one (the seed
fixes the initial weights, and the data stream and every random draw are
functions of the seed and the step).

Layout of ``workdir`` (all written by this module)::

    config.json        the config of the run (checked on resume)
    data_source.json   what the data resolved to (dataset, files, size)
    log.txt            starts, resumes, changes on resume, stops, exports
    .lock              held while a training runs (PID, host)
    checkpoints/       tf.train checkpoints: networks, optimizers, step
    samples/           PNG sample grids (fixed latents)
    tb/                TensorBoard scalars and images
    export/            the SavedModel (see tfgen.export)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import keras
import tensorflow as tf

from tfgen import builders, checkpoints, data, distribute, export, fit_loop, resume
from tfgen import config as config_lib
from tfgen.config_upgrade import upgrade
from tfgen import workdir as workdir_lib
from tfgen.fit_loop import TrainingError


def _read_json(path: str):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def data_kind(config) -> str:
    """The data kind ``config``'s method trains on (declared by its model)."""
    return builders.method(config.method).model.kind_for(dict(config.model))


def dataset_info(config) -> data.DatasetInfo:
    """The data's streams as the method reads them, after ``data.image_size``."""
    d = config.data
    return data.info_for(data_kind(config), d.name, d.data_dir or None,
                         target=d.target or None, image_size=d.image_size or 0,
                         labelled_examples=d.labelled_examples)


def build(config, strategy, info):
    """Model and optimizers for ``config``, created and compiled in scope."""
    with strategy.scope():
        model, optimizers = builders.build(config, info)
        model.compile(optimizers, jit_compile=config.train.jit_compile)
    return model


def checkpoint_manager(model, workdir: str) -> tf.train.CheckpointManager:
    return checkpoints.manager(model, workdir)


def _prepare(config, strategy):
    """Everything that can fail on bad input, before the workdir is touched."""
    config_lib.check(config)
    names = [m for m in config.eval.metrics.split(",") if m]
    if names and config.eval.every > 0:
        from tfgen import evaluation
        from tfgen.metrics import inception

        evaluation.check_metrics(names)
        # Periodic evaluation must not fail at its first step, after training.
        _, on_inception, _ = evaluation.feature_plan(config.data.name, names)
        if on_inception and not os.path.isfile(inception.default_weights_path()):
            raise FileNotFoundError(
                f"eval.metrics={config.eval.metrics} on {config.data.name} needs the "
                f"FID Inception weights ({inception.default_weights_path()}); run "
                "`make fid` once, or drop those metrics")
    info = dataset_info(config)
    keras.utils.set_random_seed(config.seed)  # network initialisers (NOTES #13)
    model = build(config, strategy, info)
    per_step = model.examples_per_step
    batch = config.data.batch_size * per_step
    replicas = strategy.num_replicas_in_sync
    if batch % replicas:
        raise ValueError(
            f"the global batch of {batch} examples does not split over {replicas} "
            f"replicas; set --config.data.batch_size to a multiple of {replicas}")
    return model, info, batch


def _check_resume(workdir, config, source):
    """Compares a workdir's previous run with ``config``; returns allowed changes."""
    old_cfg = _read_json(os.path.join(workdir, "config.json"))
    if old_cfg is None:
        return {}
    old = upgrade(config_lib.from_json(json.dumps(old_cfg)))
    allowed, refused = resume.compare(old, config)
    old_source = _read_json(os.path.join(workdir, "data_source.json"))
    if old_source is None:  # a run from before data_source.json
        old_source = resume.data_source(old.data.name, old.data.data_dir or None,
                                        old.data.image_size)
        if not old.data.data_dir:
            old_source["files"] = source["files"]  # its $TFGEN_DATA_DIR is unknown
    if old_source["name"] == source["name"]:
        refused.pop("data.name", None)  # the same files, spelled differently
    differs = resume.data_differs(old_source, source)
    if differs:
        refused["data"] = (old_source, source)
        raise TrainingError(
            f"{workdir} holds a run on other data ({differs}); pass --overwrite "
            "to start the run again, or use a new --workdir")
    if refused:
        raise TrainingError(resume.refusal(workdir, refused))
    return allowed


def run(config, workdir: str, restart: bool = False, verbose: int | None = None,
        strategy: str = "auto"):
    """Trains (or resumes) ``config`` in ``workdir``; returns the model.

    Args:
      config: the experiment config (``tfgen.config.base_config`` fields).
      workdir: the run's folder; rerunning resumes from its newest good
        checkpoint.
      restart: discard the workdir's previous run (its own files only) and
        start from step 0.
      verbose: the run's progress display (tfgen.progress): None picks a bar
        on a terminal and lines otherwise, 0 silent, 1 bar, 2 lines.
      strategy: a name in ``distribute.STRATEGIES``. With several workers
        (``TF_CONFIG``), every worker runs this with the same arguments; the
        chief alone writes to ``workdir`` (the others keep their checkpoint
        writes in a temporary folder they remove), and all of them resume
        from the chief's checkpoints.
    """
    if config.train.mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_float16")
    if config.train.deterministic:
        tf.config.experimental.enable_op_determinism()
    strategy = distribute.make_strategy(config.train.cpu_replicas, strategy)
    model, info, batch = _prepare(config, strategy)
    source = resume.data_source(config.data.name, config.data.data_dir or None,
                                config.data.image_size)
    if not restart and _finished(workdir, config, model):
        return model
    index, _, chief = distribute.worker(strategy)
    if not chief:
        return _run_worker(config, workdir, restart, model, info, batch, source, index)
    workdir_lib.prepare(workdir)
    with workdir_lib.Lock(workdir):
        return _run_locked(config, workdir, restart, verbose, strategy, model,
                           info, batch, source)


def _finished(workdir, config, model) -> bool:
    """Restores a run that is already complete, writing nothing (read-only safe).

    Complete: the same config, a checkpoint at ``train.steps`` or later,
    and an export when exports are enabled.
    """
    path = os.path.join(workdir, "config.json")
    latest = tf.train.latest_checkpoint(os.path.join(workdir, "checkpoints"))
    if not latest or checkpoints.step_of(latest) < config.train.steps:
        return False
    if not os.path.isfile(path) or open(path).read() != config_lib.to_json(config):
        return False
    export_dir = os.path.join(workdir, "export")
    if config.export.enabled and not export.is_export(export_dir):
        return False
    restored = checkpoints.restore_newest_good(checkpoint_manager(model, workdir), model)
    if restored != latest:
        return False  # the newest was unusable: let the locked path handle it
    where = f"; the export is at {export_dir}" if config.export.enabled else ""
    print(f"Already trained to step {checkpoints.step_of(latest)}{where} "
          "(tools/export.py writes another)")
    return True


def _run_worker(config, workdir, restart, model, info, batch, source, index):
    """A non-chief worker: trains in step with the chief, writes nothing shared.

    It reads the chief's checkpoints to start where the chief starts (and
    refuses what the chief refuses, so that no worker waits alone), and its
    own checkpoint writes, which the collective save needs, go to a
    temporary folder that is removed.
    """
    shared = checkpoint_manager(model, workdir)
    if shared.checkpoints and not restart:
        _check_resume(workdir, config, source)
        checkpoints.restore_newest_good(shared, model)
    start = int(model.step_counter.numpy())
    scratch = tempfile.mkdtemp(prefix=f"tfgen-worker{index}-")
    try:
        if start < config.train.steps:
            fit_loop.train(config, workdir, model, info, batch,
                           checkpoints.ScratchManager(model, scratch), start, verbose=0)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return model


def _run_locked(config, workdir, restart, verbose, strategy, model, info, batch,
                source):
    for path in workdir_lib.clean_leftovers(workdir):
        print(f"Removed {path}, left by a checkpoint write that was killed")
    export.clean_stale_temporaries(workdir)
    if restart:
        if workdir_lib.discard_run(workdir, export.is_export):
            print(f"Discarded the previous run in {workdir} (--overwrite)")
    manager = checkpoint_manager(model, workdir)
    allowed = {}
    restored = None
    if manager.checkpoints:
        # Without a checkpoint the previous config binds nothing: a run that
        # failed early must not lock its workdir against a corrected rerun.
        allowed = _check_resume(workdir, config, source)
        restored = checkpoints.restore_newest_good(manager, model)
    start = int(model.step_counter.numpy())
    text = config_lib.to_json(config)
    path = os.path.join(workdir, "config.json")
    # A finished run's rerun writes nothing (its workdir may be read-only).
    if not os.path.exists(path) or open(path).read() != text:
        workdir_lib.write_text(path, text)
    source_path = os.path.join(workdir, "data_source.json")
    if _read_json(source_path) != source:
        workdir_lib.write_text(source_path, json.dumps(source, indent=2, sort_keys=True))
    if restored:
        print(f"Resuming from step {start} ({restored})")
        workdir_lib.log(workdir, f"resumed from step {start} ({restored})")
        if allowed:
            print(f"Changed on resume: {resume.describe(allowed)}")
            workdir_lib.log(workdir, f"changed on resume: {resume.describe(allowed)}")
    elif start == 0:
        workdir_lib.log(workdir, f"started {config.method} on {config.data.name}, "
                                 f"seed {config.seed}")

    total = config.train.steps
    if start < total:
        fit_loop.train(config, workdir, model, info, batch, manager, start, verbose)
    export_dir = os.path.join(workdir, "export")
    if not config.export.enabled:
        return model
    if start >= total and export.is_export(export_dir):
        print(f"Already trained to step {start}; the export is at {export_dir} "
              "(tools/export.py writes another)")
    else:
        # The run's own export is refreshed after further training.
        export_model(model, config, export_dir, overwrite=True)
        workdir_lib.log(workdir, f"exported step {int(model.step_counter.numpy())} "
                                 f"to {export_dir}")
    return model


def export_model(model, config, path: str, overwrite: bool = False) -> str | None:
    """Exports ``model``'s export parts with the run's metadata."""
    parts = model.export_parts()
    if not parts:
        print(f"{config.method} declares no export parts; nothing exported")
        return None
    meta = dict(method=config.method, dataset=config.data.name,
                step=int(model.step_counter.numpy()),
                config=config_lib.to_json(config))
    out = export.save(parts, path, metadata=meta, overwrite=overwrite)
    print(f"Exported {', '.join(sorted(parts))} to {out}")
    return out


def restore(workdir: str, config=None):
    """Rebuilds the model of ``workdir`` and restores its latest checkpoint."""
    if config is None:
        path = os.path.join(workdir, "config.json")
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"{path} not found; is {workdir} a tools/train.py --workdir?")
        with open(path) as f:
            config = upgrade(config_lib.from_json(f.read()))
    strategy = distribute.make_strategy(0)
    model = build(config, strategy, dataset_info(config))
    manager = checkpoint_manager(model, workdir)
    if not manager.checkpoints:
        raise FileNotFoundError(
            f"no checkpoint in {workdir}/checkpoints; train first with "
            f"tools/train.py --workdir={workdir}")
    checkpoints.restore_newest_good(manager, model)
    return model, config
