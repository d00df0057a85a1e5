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

Writing is crash-safe, and ``overwrite=True`` replaces only a previous
tfgen export (see :mod:`tfgen.export_dir`).
"""

from __future__ import annotations

import json
import os
import shutil

import keras
import numpy as np
import tensorflow as tf

from tfgen import priors
from tfgen.export_dir import (  # noqa: F401 - part of this module's API
    METADATA_FILE, FORMAT_PREFIX, ExportExistsError, UnsafeOverwriteError,
    check_destination, clean_stale_temporaries, is_export, read_metadata)
from tfgen.export_dir import _make_temp, _move_into_place

FORMAT = "tfgen-generator-v1"


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
