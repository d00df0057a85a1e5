"""Exporting a generator as a SavedModel that loads without tfgen.

Signature of the export (also loads with ``tensorflow_hub.load``)::

    m = tf.saved_model.load(path)        # or hub.load(path)
    m.latent_dim                         # tf.Variable, int32 scalar
    m.image_shape                        # tf.Variable, int32 [rank]
    m.prior                              # tf.Variable, string: normal|uniform|sphere
    images = m(latents)                  # float32 [B, latent_dim] -> [B, ...] in [-1, 1]
    images = m.sample(num, seed)         # draws latents from the training prior
    m.signatures["serving_default"](latents=z)["images"]

The latent input is declared as ``[None, latent_dim]``, so ``m(z)`` with the
wrong width fails at signature matching (a TypeError naming both shapes); the
serving signature checks it again in its first op (``tf.ensure_shape``),
because a signature called directly does not match shapes.

A ``tfgen.json`` file beside ``saved_model.pb`` records the method, dataset,
prior, training step and config, and a ``format`` starting with ``tfgen-``.

Writing is crash-safe. The export is built in a temporary directory beside
the destination (``.export-HOST-PID-*``) and renamed into place; replacing
an old export first moves it aside (``.old-export-HOST-PID-*``). A process
killed part-way leaves only those directories, and the next export into the
same parent folder removes them once their process is gone (or puts an old
export back when the kill came between the two renames). Nothing else is
ever deleted: ``overwrite=True`` replaces only a previous tfgen export, never
a training directory or a folder holding anything an export does not.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import sys
import tempfile

import keras
import numpy as np
import tensorflow as tf

from tfgen import priors

METADATA_FILE = "tfgen.json"
FORMAT = "tfgen-generator-v1"
FORMAT_PREFIX = "tfgen-"

# Everything tf.saved_model.save (and Keras 2's saver) puts in an export
# directory, plus our metadata; True marks directories.
EXPORT_ENTRIES = {"saved_model.pb": False, "fingerprint.pb": False,
                  "keras_metadata.pb": False, METADATA_FILE: False,
                  "variables": True, "assets": True}
# TensorFlow writes protos to NAME.tmpHEX and renames them; a process killed
# inside tf.saved_model.save can leave one in its temporary directory.
_PARTIAL_PROTO = re.compile(r"^(saved_model|fingerprint|keras_metadata)\.pb\.tmp[0-9a-f]*$")
# What tools/train.py puts in a --workdir (tfgen.workdir), to name it in the
# refusal; anything not in EXPORT_ENTRIES is refused anyway.
_WORKDIR_ENTRIES = ("checkpoints", "config.json", "tb", "samples", "log.txt",
                    "data_source.json", ".lock")

_TEMP_NAME = re.compile(r"^\.(export|old-export)-([0-9a-f]{8})-(\d+)-[a-z0-9_]+$")


class ExportExistsError(FileExistsError):
    """The export path exists and overwriting was not requested."""


class UnsafeOverwriteError(ExportExistsError):
    """``overwrite=True`` for a path that is not a previous tfgen export."""


class _GeneratorModule(tf.Module):
    """The exported object: the generator, its prior and three functions.

    The functions are made per instance because their input signature holds
    the latent width, known only here.
    """

    def __init__(self, generator: keras.Model, latent_dim: int, prior: str,
                 prior_mean=None, prior_tril=None):
        super().__init__()
        d = int(latent_dim)
        self.generator = generator
        self.latent_dim = tf.Variable(d, trainable=False, dtype=tf.int32)
        self.image_shape = tf.Variable(list(generator.output_shape[1:]),
                                       trainable=False, dtype=tf.int32)
        self._prior = prior
        self._width = d
        self.prior = tf.Variable(prior, trainable=False, dtype=tf.string)
        mean = np.zeros([d], np.float32) if prior_mean is None else prior_mean
        tril = np.eye(d, dtype=np.float32) if prior_tril is None else prior_tril
        self.prior_mean = tf.Variable(mean, trainable=False)
        self.prior_scale_tril = tf.Variable(tril, trainable=False)
        latents = tf.TensorSpec([None, d], tf.float32, name="latents")
        self.__call__ = tf.function(self._generate, input_signature=[latents])
        self.serve = tf.function(self._serve, input_signature=[latents])
        self.sample = tf.function(
            self._sample, input_signature=[tf.TensorSpec([], tf.int32, name="num"),
                                           tf.TensorSpec([], tf.int32, name="seed")])

    def _generate(self, latents):
        # A signature function called with keyword tensors skips shape
        # matching; this makes a wrong width fail here, naming both shapes.
        latents = tf.ensure_shape(latents, [None, self._width])
        return tf.cast(self.generator(latents, training=False), tf.float32)

    def _sample(self, num, seed):
        z = priors.sample(self._prior, tf.stack([num, self.latent_dim]),
                          tf.stack([seed, tf.constant(0, tf.int32)]),
                          mean=self.prior_mean, scale_tril=self.prior_scale_tril)
        return self.__call__(z)

    def _serve(self, latents):
        return {"images": self.__call__(latents)}


def export_generator(generator: keras.Model, path: str, latent_dim: int,
                     prior: str = "normal", metadata: dict | None = None,
                     overwrite: bool = False, prior_mean=None,
                     prior_tril=None) -> str:
    """Writes ``generator`` as a SavedModel at ``path`` (see module docstring).

    Args:
      generator: maps latents [B, latent_dim] to images in [-1, 1].
      path: destination directory.
      latent_dim: size of the latent vectors.
      prior: name in ``tfgen.priors.PRIORS``; ``sample`` draws from it.
      metadata: JSON-serializable facts to record in ``tfgen.json``.
      overwrite: replace an existing export (only a tfgen export or an empty
        directory; see :func:`check_destination`).
      prior_mean, prior_tril: parameters of the ``sphere`` prior.

    Returns:
      ``path``, absolute.

    Raises:
      ExportExistsError: ``path`` exists and ``overwrite`` is False.
      UnsafeOverwriteError: ``overwrite`` is True but ``path`` is not an export.
    """
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    clean_stale_temporaries(parent)
    check_destination(path, overwrite)
    tmp = _make_temp(parent, "export")
    try:
        module = _GeneratorModule(generator, latent_dim, prior, prior_mean,
                                  prior_tril)
        target = os.path.join(tmp, "model")
        tf.saved_model.save(module, target,
                            signatures={"serving_default": module.serve})
        meta = dict(metadata or {}, latent_dim=int(latent_dim), prior=prior,
                    image_shape=[int(s) for s in generator.output_shape[1:]],
                    format=FORMAT)
        with open(os.path.join(target, METADATA_FILE), "w") as f:
            json.dump(meta, f, indent=2, sort_keys=True, default=str)
        # Saving takes a while: check again what is about to be replaced.
        check_destination(path, overwrite)
        _move_into_place(target, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def _move_into_place(target: str, path: str) -> None:
    """Renames ``target`` to ``path``, moving an existing ``path`` aside first."""
    if not os.path.lexists(path):
        os.rename(target, path)
        return
    trash = _make_temp(os.path.dirname(path), "old-export")
    # The old export keeps its own name inside the trash directory, so that a
    # kill between the two renames can be undone by clean_stale_temporaries.
    aside = os.path.join(trash, os.path.basename(path))
    os.rename(path, aside)
    try:
        os.rename(target, path)
    except BaseException:
        os.rename(aside, path)
        os.rmdir(trash)
        raise
    shutil.rmtree(trash, ignore_errors=True)


def check_destination(path: str, overwrite: bool) -> None:
    """Raises unless an export may be written at ``path``.

    A missing path is fine. An existing one needs ``overwrite``, and then it
    must be a previous tfgen export (``saved_model.pb`` and a ``tfgen.json``
    whose ``format`` starts with ``tfgen-``, and nothing an export does not
    hold) or an empty directory: replacing anything else could delete a
    training directory, or the folder above one, with all its checkpoints.

    Raises:
      ExportExistsError: ``path`` exists and ``overwrite`` is False.
      UnsafeOverwriteError: ``path`` exists but is not a tfgen export.
    """
    if not os.path.lexists(path):
        return
    if not overwrite:
        raise ExportExistsError(
            f"export path {path} already exists; pass --overwrite to replace it "
            "or choose another path")
    if os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
        return  # an empty directory: nothing to lose
    problem = _not_an_export(path)
    if problem:
        raise UnsafeOverwriteError(
            f"refusing to overwrite {path}: {problem}; --overwrite only replaces a "
            "previous tfgen export, so choose a new path (e.g. a subfolder "
            "named export) or remove it yourself")


def is_export(path: str) -> bool:
    """Whether ``path`` is a tfgen export holding nothing else."""
    return os.path.isdir(path) and not _not_an_export(path)


def _not_an_export(path: str) -> str | None:
    """Why ``path`` may not be replaced by an export, or None if it may."""
    if os.path.islink(path):
        return "it is a symbolic link"
    if not os.path.isdir(path):
        return "it is a file, not an export directory"
    names = sorted(os.listdir(path))
    workdir = [n for n in _WORKDIR_ENTRIES if n in names]
    if workdir:
        return (f"it looks like a training directory (it has {', '.join(workdir)}) "
                "or holds one")
    foreign = [n for n in names if n not in EXPORT_ENTRIES
               or os.path.islink(os.path.join(path, n))
               or os.path.isdir(os.path.join(path, n)) != EXPORT_ENTRIES[n]]
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        return f"it holds files that are not part of an export ({shown})"
    if "saved_model.pb" not in names:
        return "it has no saved_model.pb"
    try:
        fmt = read_metadata(path).get("format", "")
    except ValueError:
        fmt = ""
    if not str(fmt).startswith(FORMAT_PREFIX):
        return f"it is not a tfgen export (no {METADATA_FILE} with a tfgen format)"
    return None


def _host_tag() -> str:
    # Temporary names carry the host, so that on a shared filesystem a
    # process id is only ever checked on the machine that owns it.
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _make_temp(parent: str, kind: str) -> str:
    return tempfile.mkdtemp(prefix=f".{kind}-{_host_tag()}-{os.getpid()}-",
                            dir=parent)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def _holds_only_export_files(path: str, partial_ok: bool) -> bool:
    if os.path.islink(path) or not os.path.isdir(path):
        return False
    for name in os.listdir(path):
        full = os.path.join(path, name)
        if partial_ok and _PARTIAL_PROTO.match(name) and os.path.isfile(full):
            continue
        if name not in EXPORT_ENTRIES or os.path.islink(full):
            return False
        if os.path.isdir(full) != EXPORT_ENTRIES[name]:
            return False
    return True


def clean_stale_temporaries(parent: str) -> list:
    """Removes what killed exports left in ``parent``; returns what it did.

    Only directories named like this module's temporaries, made on this
    host by a process that no longer runs, and holding nothing but what an
    export writes are touched. An ``.old-export-*`` whose export's own
    path is missing (a kill between the two renames) is put back there
    rather than deleted.
    """
    done = []
    try:
        names = os.listdir(parent)
    except OSError:
        return done
    host = _host_tag()
    for name in names:
        m = _TEMP_NAME.match(name)
        if not m or m.group(2) != host or _pid_alive(int(m.group(3))):
            continue
        try:
            action = _clean_one(parent, name, m.group(1))
        except OSError:  # e.g. another process cleaning the same leftover
            continue
        if action:
            done.append(action)
    return done


def _clean_one(parent: str, name: str, kind: str):
    tmp = os.path.join(parent, name)
    if os.path.islink(tmp) or not os.path.isdir(tmp):
        return None
    inside = os.listdir(tmp)
    if kind == "export":
        if inside and (inside != ["model"] or not _holds_only_export_files(
                os.path.join(tmp, "model"), partial_ok=True)):
            return None
        shutil.rmtree(tmp)
        return ("removed", tmp)
    if not inside:
        os.rmdir(tmp)
        return ("removed", tmp)
    if len(inside) != 1 or not _holds_only_export_files(
            os.path.join(tmp, inside[0]), partial_ok=False):
        return None
    original = os.path.join(parent, inside[0])
    if os.path.lexists(original):
        shutil.rmtree(tmp)  # the swap completed; this is the replaced export
        return ("removed", tmp)
    os.rename(os.path.join(tmp, inside[0]), original)
    os.rmdir(tmp)
    print(f"note: put back {original}, whose replacement was interrupted",
          file=sys.stderr)
    return ("restored", original)


def load_generator(path: str):
    """Loads an export; raises a one-line error if ``path`` is not one.

    Raises:
      FileNotFoundError: no ``saved_model.pb`` at ``path``.
      ValueError: the SavedModel is unreadable (e.g. truncated) or is not a
        tfgen generator (no ``tfgen.json`` and no ``latent_dim``/``sample``).
    """
    if not os.path.isfile(os.path.join(path, "saved_model.pb")):
        raise FileNotFoundError(
            f"{path} is not an exported generator (no saved_model.pb); train "
            "with tools/train.py or export with tools/export.py first")
    meta = read_metadata(path)
    if meta and not str(meta.get("format", "")).startswith(FORMAT_PREFIX):
        raise ValueError(f"{path} is not a tfgen export: its {METADATA_FILE} has "
                         f"format {meta.get('format')!r}")
    try:
        module = tf.saved_model.load(path)
    except Exception as err:  # protobuf, TF and OS errors alike
        first = (str(err).strip().splitlines() or [""])[0][:200]
        raise ValueError(f"cannot load the SavedModel at {path} ({type(err).__name__}: "
                         f"{first}); it may be truncated or corrupt: export it "
                         "again") from err
    missing = [a for a in ("latent_dim", "image_shape", "prior", "sample")
               if not hasattr(module, a)]
    if missing or not callable(module):
        lacks = ", ".join(missing) or "__call__"
        where = "" if meta else f"no {METADATA_FILE}; "
        raise ValueError(f"{path} is a SavedModel but not a tfgen generator export "
                         f"({where}it lacks {lacks}); export one with tools/export.py")
    return module


def read_metadata(path: str) -> dict:
    """The ``tfgen.json`` of an export ({} if absent).

    Raises:
      ValueError: the file is not a JSON object.
    """
    meta = os.path.join(path, METADATA_FILE)
    if not os.path.isfile(meta):
        return {}
    try:
        with open(meta) as f:
            value = json.load(f)
    except (ValueError, UnicodeDecodeError) as err:
        raise ValueError(f"{meta} is not valid JSON ({err}); export again") from err
    if not isinstance(value, dict):
        raise ValueError(f"{meta} is not a JSON object; export again")
    return value
