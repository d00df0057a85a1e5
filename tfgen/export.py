"""Writing and reading tfgen exports: SavedModels of named parts.

An export holds the parts a method offers (:mod:`tfgen.export_parts`), each
under ``m.parts.<name>`` with its own serving signatures (``<name>``, and
``<name>_seeded`` for sampling from a seed)::

    m = tf.saved_model.load(path)        # or hub.load(path)
    m.parts.sample(latents)              # a "sample" part: [B, d] -> images
    m.parts.translate_a_to_b(images)     # a "translate" part
    m.signatures["translate_a_to_b"](images=x)["images"]

A part named ``sample`` with latents also appears at the root, as in the
first export format, so its users keep working unchanged::

    m.latent_dim, m.image_shape, m.prior # tf.Variables (int32, int32 [rank], string)
    images = m(latents)                  # float32 [B, latent_dim] -> [B, ...] in [-1, 1]
    images = m.sample(num, seed)         # draws latents from the training prior
    m.signatures["serving_default"](latents=z)["images"]

The latent input is declared as ``[None, latent_dim]``, so ``m(z)`` with the
wrong width fails at signature matching; the serving signature checks it
again in its first op (``tf.ensure_shape``).

``tfgen.json`` beside ``saved_model.pb`` records ``format``
(``tfgen-export-v2``), ``kinds`` (sorted), ``parts`` (each part's
description and signatures), the caller's metadata (method, dataset, step,
config) and, for a ``sample`` part with latents, the first format's
``latent_dim``, ``prior`` and ``image_shape``. :func:`load` reads both
formats; an export of the first one (``tfgen-generator-v1``) is one
``sample`` part.

Writing is crash-safe, and ``overwrite=True`` replaces only a previous
tfgen export (see :mod:`tfgen.export_dir`).
"""

from __future__ import annotations

import json
import os
import re
import shutil

import tensorflow as tf

from tfgen import priors
from tfgen.export_dir import (  # noqa: F401 - part of this module's API
    METADATA_FILE, FORMAT_PREFIX, ExportExistsError, UnsafeOverwriteError,
    check_destination, clean_stale_temporaries, is_export, read_metadata)
from tfgen.export_dir import _make_temp, _move_into_place
from tfgen.export_parts import KINDS, SamplePart

FORMAT = "tfgen-export-v2"
V1_FORMAT = "tfgen-generator-v1"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ROOT_ALIASES = ("latent_dim", "image_shape", "sample")
_LATENT_ALIASES = ("__call__", "prior", "prior_mean", "prior_scale_tril")


def _signature_names(parts: dict) -> dict:
    """Signature name → serving function, checking names and kinds."""
    if not parts:
        raise ValueError("an export needs at least one part")
    out = {}
    for name, part in parts.items():
        if not _NAME.match(str(name)):
            raise ValueError(f"part name {name!r} must be lower-case letters, digits "
                             "and underscores, starting with a letter")
        if getattr(part, "kind", None) not in KINDS:
            raise ValueError(f"part {name!r} has kind {getattr(part, 'kind', None)!r}; "
                             f"valid kinds: {', '.join(KINDS)}")
        for suffix, fn in part.signatures().items():
            key = f"{name}_{suffix}" if suffix else name
            if key in out or key == "serving_default":
                raise ValueError(f"two parts would both have a signature named {key!r}; "
                                 "rename one")
            out[key] = (name, fn)
    return out


def _has_latents(part) -> bool:
    return getattr(part, "kind", "") == "sample" and hasattr(part, "__call__") \
        and int(part.latent_dim.numpy()) > 0


def _input_names(fn) -> list:
    return [spec.name for spec in fn.input_signature]


def _root(parts: dict) -> tf.Module:
    root = tf.Module()
    root.parts = tf.Module()
    for name, part in parts.items():
        setattr(root.parts, name, part)
    main = parts.get("sample")
    if main is not None and main.kind == "sample":
        for attr in _ROOT_ALIASES + (_LATENT_ALIASES if _has_latents(main) else ()):
            setattr(root, attr, getattr(main, attr))
    return root


def _metadata(parts: dict, signatures: dict, metadata) -> dict:
    described = {}
    for name, part in parts.items():
        described[name] = dict(part.describe(), signatures={
            key: _input_names(fn) for key, (owner, fn) in signatures.items()
            if owner == name})
    meta = dict(metadata or {}, format=FORMAT, parts=described,
                kinds=sorted({p.kind for p in parts.values()}))
    main = parts.get("sample")
    if main is not None and _has_latents(main):
        d = described["sample"]
        meta.update(latent_dim=d["latent_dim"], prior=d["prior"],
                    image_shape=d["image_shape"])
    return meta


def save(parts: dict, path: str, metadata: dict | None = None,
         overwrite: bool = False) -> str:
    """Writes ``parts`` (name → part) as one SavedModel at ``path``.

    Args:
      parts: :mod:`tfgen.export_parts` parts by name (lower-case identifiers).
      path: destination directory.
      metadata: JSON-serializable facts to record in ``tfgen.json``.
      overwrite: replace an existing export (only a tfgen export or an empty
        directory; see :func:`check_destination`).

    Returns:
      ``path``, absolute.

    Raises:
      ValueError: a bad part name or kind, or two signatures of one name.
      ExportExistsError: ``path`` exists and ``overwrite`` is False.
      UnsafeOverwriteError: ``overwrite`` is True but ``path`` is not an export.
    """
    signatures = _signature_names(parts)
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    clean_stale_temporaries(parent)
    check_destination(path, overwrite)
    tmp = _make_temp(parent, "export")
    try:
        serving = {key: fn for key, (_, fn) in signatures.items()}
        main = parts.get("sample")
        # Today's users call the default signature with latents.
        serving["serving_default"] = (main.serve if main is not None and _has_latents(main)
                                      else next(iter(serving.values())))
        target = os.path.join(tmp, "model")
        tf.saved_model.save(_root(parts), target, signatures=serving)
        with open(os.path.join(target, METADATA_FILE), "w") as f:
            json.dump(_metadata(parts, signatures, metadata), f, indent=2,
                      sort_keys=True, default=str)
        # Saving takes a while: check again what is about to be replaced.
        check_destination(path, overwrite)
        _move_into_place(target, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


class Export:
    """A loaded export: ``path``, ``meta`` (its tfgen.json), ``module`` (the
    loaded root), ``parts`` (name → loaded part) and ``kinds``."""

    def __init__(self, path: str, meta: dict, module, parts: dict, kind_of: dict):
        self.path, self.meta, self.module = path, meta, module
        self.parts, self.kind_of = dict(parts), dict(kind_of)

    @property
    def kinds(self) -> list:
        return sorted(set(self.kind_of.values()))

    def describe(self, name: str) -> dict:
        """The part's entry in tfgen.json ({} for a first-format export)."""
        return dict(self.meta.get("parts", {}).get(name, {}))

    def name_of(self, kind, purpose: str = "") -> str:
        """The name of the part of ``kind`` (a kind or a tuple in order of
        preference); one of that name when several, else the first by name.

        Raises:
          ValueError: none of those kinds, in one line ending with ``purpose``.
        """
        for k in (kind,) if isinstance(kind, str) else tuple(kind):
            names = sorted(n for n, pk in self.kind_of.items() if pk == k)
            if names:
                return k if k in names else names[0]
        wanted = " or ".join(repr(k) for k in ((kind,) if isinstance(kind, str) else kind))
        has = ", ".join(f"{n} ({k})" if n != k else n
                        for n, k in sorted(self.kind_of.items()))
        raise ValueError(f"{self.path} has no {wanted} part (it has: {has})"
                         + (f"; {purpose}" if purpose else ""))

    def part(self, kind, purpose: str = ""):
        """The loaded part of ``kind`` (see :meth:`name_of`)."""
        return self.parts[self.name_of(kind, purpose)]


def _load_saved_model(path: str):
    try:
        return tf.saved_model.load(path)
    except Exception as err:  # protobuf, TF and OS errors alike
        first = (str(err).strip().splitlines() or [""])[0][:200]
        raise ValueError(f"cannot load the SavedModel at {path} ({type(err).__name__}: "
                         f"{first}); it may be truncated or corrupt: export it "
                         "again") from err


def load(path: str) -> Export:
    """Loads an export of either format; one-line errors otherwise.

    Raises:
      FileNotFoundError: no ``saved_model.pb`` at ``path``.
      ValueError: the SavedModel is unreadable (e.g. truncated), is not a
        tfgen export, or has a format this version cannot read.
    """
    if not os.path.isfile(os.path.join(path, "saved_model.pb")):
        raise FileNotFoundError(
            f"{path} is not an exported generator (no saved_model.pb); train "
            "with tools/train.py or export with tools/export.py first")
    meta = read_metadata(path)
    fmt = str(meta.get("format", ""))
    if meta and not fmt.startswith(FORMAT_PREFIX):
        raise ValueError(f"{path} is not a tfgen export: its {METADATA_FILE} has "
                         f"format {meta.get('format')!r}")
    if meta and fmt not in (FORMAT, V1_FORMAT):
        raise ValueError(f"{path} has format {fmt!r}, which this tfgen cannot read "
                         f"(it reads {FORMAT} and {V1_FORMAT}); upgrade tfgen")
    module = _load_saved_model(path)
    if fmt == FORMAT:
        listed = meta.get("parts")
        container = getattr(module, "parts", None)
        if not isinstance(listed, dict) or not listed or container is None:
            raise ValueError(f"{path}: its {METADATA_FILE} or SavedModel lists no parts; "
                             "export it again")
        missing = [n for n in listed if not hasattr(container, n)]
        if missing:
            raise ValueError(f"{path}: the SavedModel lacks the parts {missing} its "
                             f"{METADATA_FILE} lists; export it again")
        return Export(path, meta, module, {n: getattr(container, n) for n in listed},
                      {n: str(d.get("kind")) for n, d in listed.items()})
    missing = [a for a in ("latent_dim", "image_shape", "prior", "sample")
               if not hasattr(module, a)]
    if missing or not callable(module):
        lacks = ", ".join(missing) or "__call__"
        where = "" if meta else f"no {METADATA_FILE}; "
        raise ValueError(f"{path} is a SavedModel but not a tfgen generator export "
                         f"({where}it lacks {lacks}); export one with tools/export.py")
    return Export(path, meta, module, {"sample": module}, {"sample": "sample"})


def export_generator(generator, path: str, latent_dim: int, prior: str = "normal",
                     metadata: dict | None = None, overwrite: bool = False,
                     prior_mean=None, prior_tril=None) -> str:
    """Writes one ``sample`` part: ``generator`` with its prior (see :func:`save`).

    ``prior`` is a name in ``tfgen.priors.PRIORS``; ``prior_mean`` and
    ``prior_tril`` are the ``sphere`` prior's parameters.
    """
    part = SamplePart(generator, priors.Prior(prior, latent_dim, prior_mean, prior_tril))
    return save({"sample": part}, path, metadata, overwrite)


def load_generator(path: str):
    """The ``sample`` part of an export (the root module of a first-format one).

    Raises:
      FileNotFoundError, ValueError: as :func:`load`, or no ``sample`` part.
    """
    return load(path).part("sample", "a generator export is needed here")
