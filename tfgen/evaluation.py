"""Quality of an exported generator against a dataset, computed offline.

The export needs a ``sample`` or ``conditional_sample`` part
(:mod:`tfgen.export_parts`); the request itself is checked first by
:mod:`tfgen.evaluation_request`.

Metrics (names used by ``tools/evaluate.py --metrics``):

* ``fid``: FID (Heusel et al. 2017) on the pool_3 features of the FID
  Inception network (tfgen.metrics.inception; convert its weights once with
  ``tools/convert_fid_inception.py``), plus KID on the same features
  (``kid_inception``). Real statistics are cached (tfgen.reference_stats).
  Comparable with published FIDs only at the same sample counts: FID is
  biased upwards at small n, KID is not.
* ``fcd``: Fréchet classifier distance — the Fréchet distance of the
  project's classifier features (saved_models/classifiers/), for grey 28×28
  data. Not FID: it uses a different network and is not comparable with
  published FIDs.
* ``kid``: KID (unbiased MMD², cubic kernel) on the same features.
* ``cs``: classifier score (the Inception score's formula, our classifier).
* ``pr``: improved precision and recall on the same features (k = 3).

Datasets without a project classifier (``cifar10``, ``digits``, ``npz:``,
``folder:``, ``tfds:``) fall back to the FID Inception features: ``kid`` and
``pr`` are computed on them, ``fcd`` becomes ``fid`` (the same distance on
those features is FID), and ``cs`` is not computed (it needs class
probabilities; the FID Inception port ends at pool_3). The report's
``feature_networks`` names the network behind every figure, and
``fallbacks`` says what was substituted.
* ``modes``: for ``ring8`` / ``grid25``, modes covered, high-quality fraction
  and KL to uniform.
* ``stacked_modes``: Stacked MNIST modes covered (of 1,000) and KL.
* ``accuracy``: alone, a ``classify`` part's accuracy on the split's labels
  (:func:`classify_accuracy`; the semi-supervised GAN's discriminator).

Samples are drawn in batches with seeds derived from ``seed`` and only
feature statistics are accumulated (tfgen.metrics.streaming), so memory does
not grow with the sample count; KID and PR keep at most 10,000 features.

An export is checked against the dataset before anything is computed: its
``tfgen.json`` records the dataset it was trained on and its image shape. A
different shape is an error (the metrics would compare unlike things); a
different dataset of the same shape (trained on mnist5k, evaluated on mnist)
is legitimate and only noted on stderr.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from tfgen import classifiers, data, export, metrics, reference_stats, sampling
from tfgen.evaluation_request import (  # noqa: F401 - part of this module's API
    CLASSIFIER_METRICS, MAX_SEED, METRICS, check_dataset, check_metrics, check_request,
    default_split, feature_plan, recorded_shape, resolve_export)
from tfgen.metrics.streaming import FeatureStats, stream_features

KEEP = 10_000
INCEPTION_NAME = "FID Inception (TF graph 2015-12-05, pool_3, 2048-d)"
PURPOSE = "tools/evaluate.py needs a generator export"


def evaluate(model_path: str, dataset: str, metric_names, num_samples: int = 5000,
             data_dir: str | None = None, seed: int = 0, batch_size: int = 500,
             split: str | None = None, fid_num_real: int | None = None) -> dict:
    """Computes the requested metrics; returns a JSON-ready dict.

    Raises:
      ValueError: bad arguments, or an export whose sample shape differs
        from ``dataset``'s (see :func:`check_dataset`); raised before the
        export is loaded.
      FileNotFoundError: ``model_path`` holds no export.
    """
    if "accuracy" in list(metric_names):
        return classify_accuracy(model_path, dataset, metric_names, data_dir, batch_size,
                                 split)
    check_request(metric_names, num_samples, seed, fid_num_real)
    feature_plan(dataset, metric_names)
    start = time.time()
    path = resolve_export(model_path)
    meta = export.read_metadata(path)
    split = split or default_split(dataset)
    real, _ = data.load_arrays(dataset, split, data_dir)  # cached for evaluate_sampler
    shape = recorded_shape(meta)
    if shape is not None:
        check_dataset(meta, dataset, real.shape[1:], shape)
    module = export.load(path).part(("sample", "conditional_sample"), PURPOSE)
    if shape is None:
        check_dataset(meta, dataset, real.shape[1:], module.image_shape.numpy())
    out = evaluate_sampler(sampler(module), dataset, metric_names, num_samples, data_dir,
                           seed, batch_size, split, fid_num_real=fid_num_real)
    out["model"] = path
    out["wall_time_s"] = round(time.time() - start, 2)
    return out


def classify_accuracy(model_path: str, dataset: str, metric_names, data_dir=None,
                      batch_size: int = 500, split: str | None = None) -> dict:
    """``accuracy``: a ``classify`` part's test accuracy on ``dataset``'s labels
    (the semi-supervised GAN's discriminator); computed on its own."""
    if list(metric_names) != ["accuracy"]:
        raise ValueError("accuracy scores a classify part and is requested alone "
                         "(--metrics=accuracy)")
    start, path = time.time(), resolve_export(model_path)
    split = split or default_split(dataset)
    x, y = data.load_arrays(dataset, split, data_dir)
    if y is None:
        raise ValueError(f"accuracy needs labels and {dataset} has none")
    part = export.load(path).part("classify", "--metrics=accuracy needs a classify part")
    pred = np.concatenate([np.argmax(part(x[i:i + batch_size]).numpy(), -1)
                           for i in range(0, len(x), batch_size)])
    return {"dataset": dataset, "split": split, "model": path, "num_real": int(len(x)),
            "metrics": {"accuracy": float(np.mean(pred == y))},
            "wall_time_s": round(time.time() - start, 2)}


def sampler(module):
    """``sample(num, seed) -> images`` of a loaded sample part; a conditional
    part draws its classes in turn (label i mod K for the i-th sample of a
    batch), so every class is evaluated about equally."""
    if sampling.is_conditional(module):
        k = int(module.num_classes.numpy())
        return lambda n, s: sampling.draw(module, n, s, labels=np.arange(n) % k)
    return lambda n, s: sampling.draw(module, n, s)


def evaluate_sampler(sample, dataset: str, metric_names, num_samples: int = 5000,
                     data_dir: str | None = None, seed: int = 0, batch_size: int = 500,
                     split: str | None = None, fid_num_real: int | None = None,
                     fid_network=None) -> dict:
    """Like :func:`evaluate` for any ``sample(num, seed) -> images`` function.

    ``fid_num_real`` caps the real images behind FID (default: the whole
    split); ``fid_network`` (images -> features) replaces the FID Inception,
    for tests; its statistics are then not cached.
    """
    check_request(metric_names, num_samples, seed, fid_num_real)
    clf_metrics, inception_keys, fallbacks = feature_plan(dataset, metric_names)
    start = time.time()
    split = split or default_split(dataset)
    real, real_labels = data.load_arrays(dataset, split, data_dir)
    out = {"dataset": dataset, "split": split, "seed": seed,
           "num_samples": num_samples, "num_real": int(len(real)), "metrics": {},
           "feature_networks": {}}
    m, networks = out["metrics"], out["feature_networks"]
    if fallbacks:
        out["fallbacks"] = {k: f"no project classifier: {v}" for k, v in fallbacks.items()}
        print(f"note: no project classifier for {dataset}: "
              + "; ".join(f"{k} {v}" for k, v in fallbacks.items()), file=sys.stderr)

    if "modes" in metric_names:
        spec = data.mixture_spec(dataset)
        x = np.concatenate([sample(min(batch_size, num_samples - i), seed * 100003 + i)
                            for i in range(0, num_samples, batch_size)])
        m["modes"] = metrics.mixture_mode_stats(x, spec.centers, spec.std)
        networks["modes"] = "none (the 2-D points themselves)"

    if inception_keys:
        fake, ref, info = _inception_stats(sample, dataset, split, real, num_samples, seed,
                                           fid_num_real, fid_network)
        out.update(info)
        if "fid" in inception_keys:
            m["fid"] = metrics.frechet_distance(fake.mean, fake.cov, ref.mean, ref.cov)
        if {"kid", "kid_inception"} & inception_keys:
            kmean, kstd = metrics.kernel_inception_distance(fake.features, ref.features,
                                                            num_subsets=50, seed=seed)
            for key in {"kid", "kid_inception"} & inception_keys:
                m[key] = {"mean": kmean, "std": kstd}
        if "precision_recall" in inception_keys:
            m["precision_recall"] = metrics.precision_recall(ref.features[:5000],
                                                             fake.features[:5000])
        networks.update({key: info["fid_network"] for key in inception_keys})

    if clf_metrics:
        _classifier_metrics(sample, dataset, real, clf_metrics, num_samples, seed,
                            batch_size, out)
    out["wall_time_s"] = round(time.time() - start, 2)
    return out


def _classifier_metrics(sample, dataset, real, feature_metrics, num_samples, seed,
                        batch_size, out) -> None:
    """fcd, kid, cs, classes, pr and stacked_modes on the project classifier's features."""
    clf = classifiers.load(dataset)
    name = f"tfgen small CNN ({clf.meta.get('dataset', '?')}, " \
        f"test accuracy {clf.meta.get('test_accuracy', '?')})"
    out["feature_network"] = name
    probs_seen, labels_pred = [], []

    def features(images):
        if "stacked_modes" in feature_metrics:
            per = [clf.features_and_probs(images[..., c:c + 1])[1].argmax(1)
                   for c in range(3)]
            labels_pred.append(100 * per[0] + 10 * per[1] + per[2])
            images = images[..., :1]
        f, p = clf.features_and_probs(images)
        probs_seen.append(p)
        return f

    fake = stream_features(sample, features, num_samples, batch_size, seed,
                           keep=KEEP if {"kid", "pr"} & set(feature_metrics) else 0)
    real_stats, real_probs = FeatureStats(keep=KEEP), []
    for i in range(0, len(real), batch_size):
        f, p = clf.features_and_probs(real[i:i + batch_size, ..., :1])
        real_stats.update(f)
        real_probs.append(p)
    m = out["metrics"]
    if "fcd" in feature_metrics:
        m["frechet_classifier_distance"] = metrics.frechet_distance(
            fake.mean, fake.cov, real_stats.mean, real_stats.cov)
    if "kid" in feature_metrics:
        mean, std = metrics.kernel_inception_distance(
            fake.features, real_stats.features, num_subsets=50, seed=seed)
        m["kid"] = {"mean": mean, "std": std}
    if "cs" in feature_metrics:
        mean, std = metrics.classifier_score(np.concatenate(probs_seen))
        m["classifier_score"] = {"mean": mean, "std": std}
    if "classes" in feature_metrics:
        m["class_balance"] = metrics.class_balance(np.concatenate(probs_seen),
                                                   np.concatenate(real_probs))
    if "pr" in feature_metrics:
        m["precision_recall"] = metrics.precision_recall(
            real_stats.features[:5000], fake.features[:5000])
    if "stacked_modes" in feature_metrics:
        m["stacked_mnist"] = metrics.stacked_mnist_mode_stats(np.concatenate(labels_pred))
    keys = {"fcd": "frechet_classifier_distance", "kid": "kid", "cs": "classifier_score",
            "pr": "precision_recall", "classes": "class_balance",
            "stacked_modes": "stacked_mnist"}
    out["feature_networks"].update({keys[k]: name for k in feature_metrics})


def _inception_stats(sample, dataset, split, real, num_samples, seed, num_real, network):
    """Generated and real FID Inception features: (fake, real, report fields)."""
    if real.ndim != 4:
        raise ValueError(f"FID Inception features need image data; {dataset} has "
                         f"examples of shape {real.shape[1:]}")
    num_real = min(num_real or len(real), len(real))
    real = real[:num_real]
    if network is None:
        from tfgen.metrics import inception
        model = _fid_model()
        network = lambda x: inception.fid_features(model, x)  # noqa: E731
        key = reference_stats.cache_key("fid", dataset, split, real)
        name = INCEPTION_NAME
    else:
        key, name = None, "custom (fid_network)"
    keep = min(KEEP, num_samples, num_real)
    ref = reference_stats.real_stats(key or "", real, network, keep=keep,
                                     use_cache=key is not None)
    fake = stream_features(sample, network, num_samples, 100, seed, keep=keep)
    return fake, ref, {"fid_network": name, "fid_num_real": num_real,
                       "fid_num_samples": num_samples}


_FID_MODELS = {}


def _fid_model():
    """The FID Inception, built once per process and weight file (periodic
    evaluation calls this every ``eval.every`` steps; a build takes seconds)."""
    from tfgen.metrics import inception
    path = inception.default_weights_path()
    try:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None  # fid_inception raises the one-line error naming make fid
    if key is None or key not in _FID_MODELS:
        model = inception.fid_inception()
        _FID_MODELS.clear()
        _FID_MODELS[key] = model
    return _FID_MODELS[key]
