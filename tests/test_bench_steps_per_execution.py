"""bench/steps_per_execution.py: rates per value, and the weights compared."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_it_trains_each_value_and_finds_the_same_weights(tmp_path):
    out = tmp_path / "spe.json"
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "steps_per_execution.py"),
         "--config=configs/gan_ring8.py", "--values=1,10", "--steps=20", "--repeats=1",
         f"--out={out}"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["same_weights"] is True
    assert set(result["steps_per_second"]) == {"1", "10"}
    assert all(r > 0 for rates in result["steps_per_second"].values() for r in rates)
    assert result["ratio_to_first"]["1"] == 1.0
    again = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "steps_per_execution.py"),
         "--config=configs/gan_ring8.py", f"--out={out}"],
        capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert again.returncode != 0 and "exists" in (again.stderr + again.stdout)
