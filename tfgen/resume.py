"""What a resumed run may change, and what identifies its data.

A rerun of ``tools/train.py`` on a workdir with checkpoints continues that
run. Some fields are the user's to change between runs and are applied for
real (:data:`MUTABLE`): the learning rates (the advice after a divergence),
the total steps, the logging, sampling, checkpoint and evaluation
frequencies, which checkpoints are kept, the export switch, and how the step
is compiled or spread over devices. Every other field defines the game, the
networks, the data or the random stream of the run, so a difference is
refused, naming each field, its old and its new value, and the fix.

The data are compared by what determines them (the dataset, the files it
resolves to, the image size), not by how the data directory was spelled.
"""

from __future__ import annotations

import json
import os

from tfgen import config as config_lib
from tfgen.data import sources

# Fields (dotted) a resume may change; a trailing ".*" covers a section.
MUTABLE = ("train.steps", "train.checkpoint_every", "train.sample_every",
           "train.log_every", "train.num_sample_images", "train.jit_compile",
           "train.cpu_replicas", "train.data_autotune", "train.deterministic",
           "train.steps_per_execution", "train.keep_every",
           "eval.*", "export.*",
           "data.data_dir")
# Any optimizer field ending in "_lr" (g_lr, d_lr, e_lr, ...).
MUTABLE_SUFFIX = "_lr"
_FILE_DATASETS = ("mnist", "fashion_mnist", "stacked_mnist", "cifar10")


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = tuple(v) if isinstance(v, list) else v
    return out


def _is_mutable(field: str) -> bool:
    if field.startswith("optim.") and field.endswith(MUTABLE_SUFFIX):
        return True
    return any(field == m or (m.endswith(".*") and field.startswith(m[:-1]))
               for m in MUTABLE)


def compare(old, new) -> tuple[dict, dict]:
    """Splits the differences of two configs into (allowed, refused).

    Fields the old config lacks (added to the library since) take today's
    defaults. Each dict maps a dotted field to (old value, new value).
    """
    a = _flatten(json.loads(config_lib.to_json(old)))
    b = _flatten(json.loads(config_lib.to_json(new)))
    defaults = _flatten(json.loads(config_lib.to_json(config_lib.base_config(new.method))))
    for k, v in defaults.items():
        if k in b:  # a field added since takes its default (net entries vary)
            a.setdefault(k, v)
    allowed, refused = {}, {}
    for field in sorted(set(a) | set(b)):
        va, vb = a.get(field, "<unset>"), b.get(field, "<unset>")
        if va == vb:
            continue
        (allowed if _is_mutable(field) else refused)[field] = (va, vb)
    return allowed, refused


def describe(diffs: dict) -> str:
    return ", ".join(f"{k} {v[0]!r} -> {v[1]!r}" for k, v in diffs.items())


def refusal(workdir: str, refused: dict) -> str:
    return (f"{workdir} holds a run with a different config ({describe(refused)}); "
            "a resume may change only learning rates, train.steps, frequencies, "
            "eval and export settings: pass --overwrite to start the run again, "
            "or use a new --workdir")


def data_source(name: str, data_dir: str | None, image_size: int) -> dict:
    """What determines a run's data: dataset, resolved files, image size."""
    if ":" in name:  # folder:PATH, npz:PATH name their own files
        prefix, path = name.split(":", 1)
        if prefix in ("folder", "npz"):
            name = f"{prefix}:{os.path.realpath(path)}"
        return dict(name=name, files=None, image_size=int(image_size or 0))
    files = None
    if name in _FILE_DATASETS:
        root = sources.resolve_dir(data_dir)
        files = os.path.realpath(root) if root else None
        if name in ("mnist", "fashion_mnist", "stacked_mnist"):
            files = _idx_folder("mnist" if name == "stacked_mnist" else name, root) or files
    return dict(name=name, files=files, image_size=int(image_size or 0))


def _idx_folder(name: str, root: str | None):
    """The folder whose IDX files ``sources.load_idx_dataset`` would read."""
    candidates = []
    if root:
        candidates += [os.path.join(root, s) for s in sources.SUBDIRS[name]] + [root]
    if name == "fashion_mnist":
        candidates.append(sources.DEBIAN_FASHION)
    images = sources.IDX_FILES["train"][0]
    for d in candidates:
        if os.path.isfile(os.path.join(d, images)):
            return os.path.realpath(d)
    return None


def data_differs(old: dict, new: dict) -> str | None:
    """A one-line description of how two data sources differ, or None."""
    diffs = [f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in ("name", "files", "image_size")
             if old.get(k) != new.get(k)]
    return ", ".join(diffs) or None
