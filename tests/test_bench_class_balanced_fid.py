"""bench/class_balanced_fid.py: resampling a pool to given class proportions."""

import numpy as np
import pytest

from tfgen import testing


def test_balanced_pick_follows_the_proportions_and_takes_each_sample_once():
    pick = testing.load_bench("class_balanced_fid").balanced_pick
    classes = np.array([0, 0, 0, 0, 1, 2, 1, 2, 2, 0, 1, 2])
    # 7 samples at (0.5, 0.3, 0.2): 3.5, 2.1, 1.4 -> floors 3, 2, 1; the largest
    # remainder (0.5, class 0) gets the seventh.
    idx = pick(classes, np.array([0.5, 0.3, 0.2]), 7)
    assert sorted(idx.tolist()) == [0, 1, 2, 3, 4, 5, 6]  # the first of each class
    assert np.bincount(classes[idx]).tolist() == [4, 2, 1]
    assert len(set(idx.tolist())) == len(idx)


def test_balanced_pick_names_the_classes_a_short_pool_lacks():
    pick = testing.load_bench("class_balanced_fid").balanced_pick
    with pytest.raises(ValueError, match=r"classes \[1\].*raise --pool"):
        pick(np.array([0, 0, 0, 1]), np.array([0.5, 0.5]), 4)
