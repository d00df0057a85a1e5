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
    assert p.returncode == 1 and "valid: fcd" in p.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("dataset", ["mnist", "fashion_mnist"])
def test_classifier_reaches_its_recorded_accuracy(dataset, shared_data):
    clf = classifiers.load(dataset)
    x, y = data.load_arrays(dataset, "test", shared_data)
    _, probs = clf.features_and_probs(x, batch_size=1000)
    acc = float((probs.argmax(1) == y).mean())
    assert acc == pytest.approx(clf.meta["test_accuracy"], abs=2e-4)
    assert acc >= {"mnist": 0.993, "fashion_mnist": 0.92}[dataset]
