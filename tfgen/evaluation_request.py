"""An evaluation request, checked before anything is loaded or computed.

Which metric names exist, which feature network each one needs on a
dataset (:func:`feature_plan`), the arguments' ranges, and whether an
export's samples have the dataset's shape (:func:`check_dataset`).
:mod:`tfgen.evaluation` computes the metrics and re-exports these names.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from tfgen import classifiers, sampling
from tfgen.export_parts import SAMPLE_KINDS
from tfgen.metrics.streaming import SEED_STRIDE

METRICS = ("fid", "fcd", "kid", "cs", "pr", "classes", "modes", "stacked_modes")
CLASSIFIER_METRICS = ("fcd", "kid", "cs", "pr", "classes", "stacked_modes")
# Batch seeds are seed * SEED_STRIDE + i and must stay valid sampling seeds.
MAX_SEED = (sampling.MAX_SEED - sampling.MAX_NUM) // SEED_STRIDE


def check_metrics(metric_names) -> None:
    unknown = [m for m in metric_names if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metrics {unknown}; valid: {', '.join(METRICS)}")


def check_request(metric_names, num_samples, seed, fid_num_real=None) -> None:
    """Raises a ValueError for arguments that cannot work, before any loading."""
    check_metrics(metric_names)
    if not metric_names:
        raise ValueError(f"no metrics requested; valid: {', '.join(METRICS)}")
    sampling.check_num(num_samples, "num_samples")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) \
            or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer between 0 and {MAX_SEED:,}, "
                         f"got {seed!r}")
    if fid_num_real is not None:
        sampling.check_num(fid_num_real, "fid_num_real")


def feature_plan(dataset: str, metric_names) -> tuple[list, set, dict]:
    """Which requested metrics use which feature network.

    Returns:
      (classifier metrics, Inception figures, fallbacks): the metric names
      computed on the project classifier; the report keys computed on FID
      Inception features (``fid``, ``kid_inception``, ``kid``,
      ``precision_recall``); and, for a dataset without a project
      classifier, metric name → what is done instead.

    Raises:
      ValueError: nothing requested can be computed (``cs`` or
        ``stacked_modes`` alone on a dataset without a classifier).
    """
    names = list(dict.fromkeys(metric_names))
    inception = {"fid", "kid_inception"} if "fid" in names else set()
    wanted = [m for m in names if m in CLASSIFIER_METRICS]
    if not wanted or dataset in classifiers.DATASETS:
        return wanted, inception, {}
    why = f"no project classifier for {dataset}"
    if "stacked_modes" in wanted:
        raise ValueError(f"stacked_modes needs the project MNIST classifier; {why} "
                         f"(valid: {', '.join(sorted(classifiers.DATASETS))})")
    fallbacks = {}
    for m in wanted:
        if m == "fcd":
            inception |= {"fid", "kid_inception"}
            fallbacks[m] = ("reported as fid, the same Fréchet distance on FID Inception "
                            "features")
        elif m in ("kid", "pr"):
            inception.add("kid" if m == "kid" else "precision_recall")
            fallbacks[m] = "computed on FID Inception features"
        else:  # cs, classes
            fallbacks[m] = ("not computed: it needs class probabilities "
                            "and the FID Inception port ends at pool_3")
    if not inception and not set(names) - set(CLASSIFIER_METRICS):
        raise ValueError(f"{', '.join(wanted)} needs a project classifier "
                         f"({', '.join(sorted(classifiers.DATASETS))}) and {why}; "
                         "use fid, fcd, kid or pr, which fall back to FID Inception features")
    return [], inception, fallbacks


def default_split(dataset: str) -> str:
    return "test" if dataset in ("mnist", "fashion_mnist") else "train"


def check_dataset(meta: dict, dataset: str, data_shape, export_shape=None) -> None:
    """Compares an export's training data (its ``tfgen.json``) with ``dataset``.

    Args:
      meta: the export's metadata (may be empty).
      dataset: the name evaluated against.
      data_shape: shape of one example of ``dataset``.
      export_shape: shape of one sample, if ``meta`` has none.

    Raises:
      ValueError: the shapes differ.
    """
    trained = meta.get("dataset")
    shape = meta.get("image_shape", export_shape)
    data_shape = tuple(int(s) for s in data_shape)
    if shape is not None and tuple(int(s) for s in shape) != data_shape:
        origin = f"trained on {trained}" if trained else "its training data unrecorded"
        raise ValueError(
            f"the export makes samples of shape {tuple(int(s) for s in shape)} "
            f"({origin}) but {dataset} has examples of shape {data_shape}; evaluate "
            f"against {trained or 'its training dataset'} or another dataset of "
            "that shape")
    if trained and trained != dataset:
        print(f"note: the export was trained on {trained}; evaluating against "
              f"{dataset}", file=sys.stderr)


def resolve_export(path: str) -> str:
    """An export directory, or a training directory's ``export/``."""
    if os.path.isfile(os.path.join(path, "saved_model.pb")):
        return path
    sub = os.path.join(path, "export")
    if os.path.isfile(os.path.join(sub, "saved_model.pb")):
        return sub
    raise FileNotFoundError(f"{path} is neither an export nor a training directory "
                            "with export/; train or run tools/export.py first")


def recorded_shape(meta: dict):
    """The sample shape an export's tfgen.json records, or None.

    The first format has it at the top level; the second also in each
    sample part's description.
    """
    if "image_shape" in meta:
        return meta["image_shape"]
    for name in sorted(meta.get("parts") or {}):
        part = meta["parts"][name]
        if isinstance(part, dict) and part.get("kind") in SAMPLE_KINDS \
                and "image_shape" in part:
            return part["image_shape"]
    return None
