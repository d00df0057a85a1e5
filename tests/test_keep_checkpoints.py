"""``train.keep_every``: checkpoints kept beyond the manager's last three."""

import importlib
import os
import sys

import numpy as np
import pytest

from tfgen import checkpoints, testing, trainer, workdir
from tfgen import config as config_lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "configs"))


def ring(steps, keep_every):
    c = importlib.import_module("gan_ring8").get_config()
    c.train.steps, c.train.checkpoint_every, c.train.sample_every = steps, 10, 0
    c.train.log_every, c.train.keep_every = 10, keep_every
    return c


def test_kept_checkpoints_survive_the_managers_pruning_and_restore(tmp_path):
    run = str(tmp_path / "run")
    trainer.run(ring(60, 20), run, verbose=0)
    assert testing.checkpoint_steps(run) == [40, 50, 60]  # the manager keeps 3
    kept = os.path.join(run, "checkpoints", checkpoints.KEPT_DIR)
    names = sorted(os.listdir(kept))
    assert names == sorted(f"ckpt-{s}.{ext}" for s in (20, 40, 60)
                           for ext in ("index", "data-00000-of-00001"))
    # A kept checkpoint holds that step's state (ckpt-40 is also still the manager's).
    a = testing.checkpoint_values(os.path.join(kept, "ckpt-40"))
    b = testing.checkpoint_values(os.path.join(run, "checkpoints", "ckpt-40"))
    assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
    step20 = testing.checkpoint_values(os.path.join(kept, "ckpt-20"))
    assert any(not np.array_equal(step20[k], a[k]) for k in a)
    # --overwrite removes the kept checkpoints with the rest of the run.
    removed = workdir.discard_run(run, is_export=lambda p: True)
    assert os.path.join(kept, "ckpt-20.index") in removed
    assert not os.path.exists(kept)


def test_keep_every_must_fall_on_checkpoints():
    c = ring(60, 15)
    with pytest.raises(ValueError, match="keep_every=15 is not a multiple of "
                                         "train.checkpoint_every=10"):
        config_lib.check(c)
    config_lib.check(ring(60, 0))


def test_keep_refuses_a_missing_checkpoint(tmp_path):
    with pytest.raises(FileNotFoundError, match="ckpt-5.index not found"):
        checkpoints.keep(str(tmp_path / "ckpt-5"))
