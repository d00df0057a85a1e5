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
# make test converts the FID Inception weights first and sets this: a missing
# weight file is then a failure, not a skip.
REQUIRE_FID = os.environ.get("TFGEN_REQUIRE_FID") == "1"


def _fid_weights():
    from tfgen.metrics import inception
    path = inception.default_weights_path()
    if not os.path.isfile(path):
        msg = f"FID Inception weights not converted at {path}: run make fid"
        (pytest.fail if REQUIRE_FID else pytest.skip)(msg)
    return path


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
    out = json.loads(p.stdout)
    m = out["metrics"]
    assert m["frechet_classifier_distance"] > 0
    assert set(m) == {"frechet_classifier_distance", "kid", "classifier_score",
                      "precision_recall"}
    assert set(out["feature_networks"]) == set(m) and "fallbacks" not in out
    assert all(v.startswith("tfgen small CNN (mnist") for v in out["feature_networks"].values())


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
    weights = _fid_weights()
    monkeypatch.setenv("TFGEN_CACHE_DIR", str(tmp_path))
    os.symlink(weights, tmp_path / inception.WEIGHTS_FILENAME)
    train, _ = data.load_arrays("mnist", "train", shared_data)
    real = lambda n, s: train[s % 1000 * 0 + np.arange(n) + 60 * (s % 7)]  # noqa: E731
    noise = lambda n, s: np.random.default_rng(s).uniform(  # noqa: E731
        -1, 1, (n, 28, 28, 1)).astype(np.float32)
    kw = dict(metric_names=["fid"], num_samples=30, data_dir=shared_data, fid_num_real=30)
    good = evaluation.evaluate_sampler(real, "mnist", **kw)
    cache, = (tmp_path / "fid_stats").glob("fid-mnist-test-30-*.npz")
    bad = evaluation.evaluate_sampler(noise, "mnist", **kw)  # reads the cache
    assert list((tmp_path / "fid_stats").iterdir()) == [cache]
    assert good["metrics"]["fid"] < bad["metrics"]["fid"] / 3
    assert "Inception" in good["fid_network"]
    assert good["feature_networks"] == {"fid": good["fid_network"],
                                        "kid_inception": good["fid_network"]}


def _user_npz(path, n=120, seed=0):
    """A user's own data: n RGB 16×16 uint8 images of soft blobs, with labels."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:16, :16]
    centres = rng.uniform(3, 13, (n, 2))
    blob = np.exp(-((yy - centres[:, :1, None]) ** 2 + (xx - centres[:, 1:, None]) ** 2) / 8)
    colour = rng.uniform(0.3, 1, (n, 1, 1, 3))
    images = np.round(255 * blob[..., None] * colour).astype(np.uint8)
    np.savez(path, images=images, labels=np.arange(n) % 3)
    return f"npz:{path}"


def test_user_dataset_without_classifier_falls_back_to_inception_features(tmp_path,
                                                                          capsys):
    from tfgen import evaluation
    dataset = _user_npz(tmp_path / "mine.npz")
    real, _ = data.load_arrays(dataset, "train")
    w = np.random.default_rng(1).normal(size=(16 * 16 * 3, 12)) / 16
    feats = lambda x: np.tanh(np.asarray(x, np.float64).reshape(len(x), -1) @ w)  # noqa: E731
    like_real = lambda n, s: real[np.random.default_rng(s).choice(len(real), n)]  # noqa: E731
    kw = dict(num_samples=100, fid_network=feats)

    out = evaluation.evaluate_sampler(like_real, dataset, ["fcd", "kid", "cs", "pr"], **kw)
    m = out["metrics"]
    assert set(m) == {"fid", "kid_inception", "kid", "precision_recall"}
    assert set(out["feature_networks"]) == set(m)
    assert set(out["feature_networks"].values()) == {"custom (fid_network)"}
    assert set(out["fallbacks"]) == {"fcd", "kid", "cs", "pr"}
    assert "not computed" in out["fallbacks"]["cs"] and "fid" in out["fallbacks"]["fcd"]
    assert "note: no project classifier for npz:" in capsys.readouterr().err
    assert m["kid"] == m["kid_inception"] and out["fid_num_real"] == 120
    assert m["precision_recall"]["precision"] > 0.8 and m["precision_recall"]["recall"] > 0.8
    # The same numbers as the FID pipeline alone.
    alone = evaluation.evaluate_sampler(like_real, dataset, ["fid"], **kw)["metrics"]
    assert m["fid"] == alone["fid"] and m["kid_inception"] == alone["kid_inception"]

    # The default list (fcd, kid, cs) works; cs alone cannot, and says why.
    default = evaluation.evaluate_sampler(like_real, dataset, ["fcd", "kid", "cs"], **kw)
    assert set(default["metrics"]) == {"fid", "kid_inception", "kid"}
    with pytest.raises(ValueError, match="cs needs a project classifier"):
        evaluation.evaluate_sampler(like_real, dataset, ["cs"], **kw)
    with pytest.raises(ValueError, match="stacked_modes needs the project MNIST"):
        evaluation.feature_plan(dataset, ["fid", "stacked_modes"])


def test_reference_cache_key_follows_the_pixels():
    from tfgen import reference_stats
    a = np.zeros((4, 8, 8, 1), np.float32)
    b = a.copy()
    b[3, 7, 7, 0] = 1e-3
    key = reference_stats.cache_key("fid", "npz:/home/me/d ata.npz", "train", a)
    assert key.startswith("fid-npz__home_me_d_ata.npz-train-4-") and "/" not in key
    assert key == reference_stats.cache_key("fid", "npz:/home/me/d ata.npz", "train", a.copy())
    assert key != reference_stats.cache_key("fid", "npz:/home/me/d ata.npz", "train", b)


def test_evaluate_user_npz_default_metrics_on_fid_inception(tmp_path):
    """The CLI on an npz: dataset with the default metrics: no classifier error."""
    from tfgen import evaluation
    from tfgen.metrics import inception
    weights = _fid_weights()
    cache = tmp_path / "cache"
    cache.mkdir()
    os.symlink(weights, cache / inception.WEIGHTS_FILENAME)
    dataset = _user_npz(tmp_path / "mine.npz", n=12)
    path = export.export_generator(dcgan_generator(8, (16, 16, 3), width=8),
                                   str(tmp_path / "e"), 8)
    env = dict(os.environ, TFGEN_CACHE_DIR=str(cache))
    p = subprocess.run([sys.executable, "tools/evaluate.py", f"--model={path}",
                        f"--dataset={dataset}", "--num_samples=12"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert set(out["metrics"]) == {"fid", "kid_inception", "kid"}
    assert out["metrics"]["fid"] > 0
    assert set(out["feature_networks"].values()) == {evaluation.INCEPTION_NAME}
    assert set(out["fallbacks"]) == {"fcd", "kid", "cs"}
    assert len(list((cache / "fid_stats").glob("fid-*mine.npz-train-12-*.npz"))) == 1
