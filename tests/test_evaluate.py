"""tools/evaluate.py and the project classifiers."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tfgen import classifiers, data, export
from tfgen.networks.dcgan import dcgan_generator
from tfgen.networks.mlp import mlp_generator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def evaluate_cli(*args):
    p = subprocess.run([sys.executable, "tools/evaluate.py", *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    return p


def test_evaluate_modes_json(tmp_path):
    path = export.export_generator(mlp_generator(2, (2,)), str(tmp_path / "e"), 2)
    p = evaluate_cli(f"--model={path}", "--dataset=ring8", "--metrics=modes",
                     "--num_samples=1000")
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert out["num_samples"] == 1000 and out["seed"] == 0 and "wall_time_s" in out
    assert set(out["metrics"]["modes"]) >= {"modes_covered", "high_quality_fraction",
                                            "kl_to_uniform"}


def test_evaluate_classifier_metrics_json(tmp_path, shared_data):
    path = export.export_generator(dcgan_generator(8, (28, 28, 1), width=8),
                                   str(tmp_path / "e"), 8)
    p = evaluate_cli(f"--model={path}", "--dataset=mnist", f"--data_dir={shared_data}",
                     "--metrics=fcd,kid,cs,pr", "--num_samples=600")
    assert p.returncode == 0, p.stderr[-2000:]
    m = json.loads(p.stdout)["metrics"]
    assert m["frechet_classifier_distance"] > 0
    assert set(m) == {"frechet_classifier_distance", "kid", "classifier_score",
                      "precision_recall"}


def test_evaluate_bad_metric_is_one_line(tmp_path):
    path = export.export_generator(mlp_generator(2, (2,)), str(tmp_path / "e"), 2)
    p = evaluate_cli(f"--model={path}", "--dataset=ring8", "--metrics=fid2")
    assert p.returncode == 1 and "valid: fid, fcd" in p.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("dataset", ["mnist", "fashion_mnist"])
def test_classifier_reaches_its_recorded_accuracy(dataset, shared_data):
    clf = classifiers.load(dataset)
    x, y = data.load_arrays(dataset, "test", shared_data)
    _, probs = clf.features_and_probs(x, batch_size=1000)
    acc = float((probs.argmax(1) == y).mean())
    assert acc == pytest.approx(clf.meta["test_accuracy"], abs=2e-4)
    assert acc >= {"mnist": 0.993, "fashion_mnist": 0.92}[dataset]


def _projection_features(seed=0, dim=16):
    """A fixed random feature map of 28×28×1 images (stands in for Inception)."""
    w = np.random.default_rng(seed).normal(size=(784, dim)) / 28.0
    return lambda x: np.tanh(np.asarray(x, np.float64).reshape(len(x), -1) @ w)


def _numpy_fid(a, b):
    from scipy import linalg
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(ca @ cb).real
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(ca + cb - 2 * covmean))


def test_fid_pipeline_matches_numpy_and_separates_real_from_noise(shared_data):
    from tfgen import evaluation
    feats = _projection_features()
    train, _ = data.load_arrays("mnist", "train", shared_data)
    test, _ = data.load_arrays("mnist", "test", shared_data)
    draws = {}

    def real_sampler(n, seed):  # distinct train images per batch seed
        idx = np.random.default_rng(seed).choice(len(train), n, replace=False)
        draws.setdefault(seed, train[idx])
        return train[idx]

    def noise_sampler(n, seed):
        return np.random.default_rng(seed).uniform(-1, 1, (n, 28, 28, 1)).astype(np.float32)

    kw = dict(metric_names=["fid"], num_samples=1000, data_dir=shared_data,
              fid_num_real=2000, fid_network=feats)
    good = evaluation.evaluate_sampler(real_sampler, "mnist", **kw)
    bad = evaluation.evaluate_sampler(noise_sampler, "mnist", **kw)
    fake = np.concatenate([draws[k] for k in sorted(draws)])
    expected = _numpy_fid(feats(fake), feats(test[:2000]))
    assert good["metrics"]["fid"] == pytest.approx(expected, rel=1e-6, abs=1e-9)
    assert good["fid_num_real"] == 2000 and good["fid_num_samples"] == 1000
    assert bad["metrics"]["fid"] > 50 * good["metrics"]["fid"]
    assert abs(good["metrics"]["kid_inception"]["mean"]) < bad["metrics"]["kid_inception"]["mean"] / 50


def test_fid_without_converted_weights_is_one_line(tmp_path):
    path = export.export_generator(dcgan_generator(8, (28, 28, 1), width=8),
                                   str(tmp_path / "e"), 8)
    env = dict(os.environ, TFGEN_CACHE_DIR=str(tmp_path / "empty_cache"))
    p = subprocess.run([sys.executable, "tools/evaluate.py", f"--model={path}",
                        "--dataset=mnist5k", "--metrics=fid", "--num_samples=100"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    last = p.stderr.strip().splitlines()[-1]
    assert p.returncode == 1 and "convert_fid_inception.py" in last, p.stderr[-1000:]


def test_fid_inception_real_vs_real_and_cache(tmp_path, shared_data, monkeypatch):
    from tfgen import evaluation
    from tfgen.metrics import inception
    weights = inception.default_weights_path()
    if not os.path.isfile(weights):
        pytest.skip(f"FID Inception weights not converted ({inception.CONVERT_COMMAND})")
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path))
    os.symlink(weights, tmp_path / inception.WEIGHTS_FILENAME)
    train, _ = data.load_arrays("mnist", "train", shared_data)
    real = lambda n, s: train[s % 1000 * 0 + np.arange(n) + 60 * (s % 7)]  # noqa: E731
    noise = lambda n, s: np.random.default_rng(s).uniform(  # noqa: E731
        -1, 1, (n, 28, 28, 1)).astype(np.float32)
    kw = dict(metric_names=["fid"], num_samples=60, data_dir=shared_data, fid_num_real=60)
    good = evaluation.evaluate_sampler(real, "mnist", **kw)
    cache = tmp_path / "fid_stats" / "fid-mnist-test-60.npz"
    assert cache.is_file()
    bad = evaluation.evaluate_sampler(noise, "mnist", **kw)  # reads the cache
    assert good["metrics"]["fid"] < bad["metrics"]["fid"] / 3
    assert "Inception" in good["fid_network"]
