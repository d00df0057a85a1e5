"""Exporting a generator as a SavedModel that loads without tfgen.

Signature of the export (also loads with ``tensorflow_hub.load``)::

    m = tf.saved_model.load(path)        # or hub.load(path)
    m.latent_dim                         # tf.Variable, int32 scalar
    m.image_shape                        # tf.Variable, int32 [rank]
    m.prior                              # tf.Variable, string: normal|uniform|sphere
    images = m(latents)                  # float32 [B, latent_dim] -> [B, ...] in [-1, 1]
    images = m.sample(num, seed)         # draws latents from the training prior
    m.signatures["serving_default"](latents=z)["images"]

A ``tfgen.json`` file beside ``saved_model.pb`` records the method, dataset,
prior, training step and config. The export is written to a temporary
directory and renamed into place, so a crash never leaves a half-written
export, and an existing export is replaced only with ``overwrite=True``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import keras
import numpy as np
import tensorflow as tf

from tfgen import priors

METADATA_FILE = "tfgen.json"


class ExportExistsError(FileExistsError):
    """The export path exists and overwriting was not requested."""


class _GeneratorModule(tf.Module):
    def __init__(self, generator: keras.Model, latent_dim: int, prior: str,
                 prior_mean=None, prior_tril=None):
        super().__init__()
        self.generator = generator
        self.latent_dim = tf.Variable(int(latent_dim), trainable=False,
                                      dtype=tf.int32)
        self.image_shape = tf.Variable(list(generator.output_shape[1:]),
                                       trainable=False, dtype=tf.int32)
        self._prior = prior
        self.prior = tf.Variable(prior, trainable=False, dtype=tf.string)
        d = int(latent_dim)
        mean = np.zeros([d], np.float32) if prior_mean is None else prior_mean
        tril = np.eye(d, dtype=np.float32) if prior_tril is None else prior_tril
        self.prior_mean = tf.Variable(mean, trainable=False)
        self.prior_scale_tril = tf.Variable(tril, trainable=False)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32,
                                                name="latents")])
    def __call__(self, latents):
        return tf.cast(self.generator(latents, training=False), tf.float32)

    @tf.function(input_signature=[tf.TensorSpec([], tf.int32, name="num"),
                                  tf.TensorSpec([], tf.int32, name="seed")])
    def sample(self, num, seed):
        z = priors.sample(self._prior, tf.stack([num, self.latent_dim]),
                          tf.stack([seed, tf.constant(0, tf.int32)]),
                          mean=self.prior_mean, scale_tril=self.prior_scale_tril)
        return self.__call__(z)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32,
                                                name="latents")])
    def serve(self, latents):
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
      overwrite: replace an existing export.
      prior_mean, prior_tril: parameters of the ``sphere`` prior.

    Returns:
      ``path``.

    Raises:
      ExportExistsError: ``path`` exists and ``overwrite`` is False.
    """
    path = os.path.abspath(path)
    if os.path.exists(path) and not overwrite:
        raise ExportExistsError(
            f"export path {path} already exists; pass --overwrite to replace it "
            "or choose another path")
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        module = _GeneratorModule(generator, latent_dim, prior, prior_mean,
                                  prior_tril)
        target = os.path.join(tmp, "model")
        tf.saved_model.save(module, target,
                            signatures={"serving_default": module.serve})
        meta = dict(metadata or {}, latent_dim=int(latent_dim), prior=prior,
                    image_shape=[int(s) for s in generator.output_shape[1:]],
                    format="tfgen-generator-v1")
        with open(os.path.join(target, METADATA_FILE), "w") as f:
            json.dump(meta, f, indent=2, sort_keys=True, default=str)
        if os.path.exists(path):
            trash = tempfile.mkdtemp(prefix=".old-export-", dir=parent)
            os.rename(path, os.path.join(trash, "old"))
            os.rename(target, path)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.rename(target, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def load_generator(path: str):
    """Loads an export; raises a one-line error if ``path`` is not one."""
    if not os.path.isfile(os.path.join(path, "saved_model.pb")):
        raise FileNotFoundError(
            f"{path} is not an exported generator (no saved_model.pb); train "
            "with tools/train.py or export with tools/export.py first")
    return tf.saved_model.load(path)


def read_metadata(path: str) -> dict:
    """The ``tfgen.json`` of an export ({} if absent)."""
    meta = os.path.join(path, METADATA_FILE)
    if not os.path.isfile(meta):
        return {}
    with open(meta) as f:
        return json.load(f)
