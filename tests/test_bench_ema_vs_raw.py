"""bench/ema_vs_raw.py: a checkpoint's raw and averaged generators, scored alike."""

import types

import keras
import numpy as np
import pytest

from tfgen import evaluation, export, priors, testing
from tfgen.export_parts.sample import SamplePart


def _bench():
    return testing.load_bench("ema_vs_raw")


def _generator(seed):
    keras.utils.set_random_seed(seed)
    z = keras.Input((4,))
    x = keras.layers.Dense(16, activation="tanh")(z)
    return keras.Model(z, keras.layers.Reshape((4, 4, 1))(x))


def test_a_sample_part_in_process_draws_what_its_saved_export_draws(tmp_path):
    # The bench scores generators in process; that must equal the export a
    # user evaluates (checked once by hand against tools/evaluate.py too).
    generator, prior = _generator(0), priors.Prior("normal", 4)
    path = export.save({"sample": SamplePart(generator, prior)}, str(tmp_path / "e"))
    loaded = export.load(path).part("sample")
    in_process = SamplePart(generator, prior)
    want = evaluation.sampler(loaded)(37, 5)
    got = evaluation.sampler(in_process)(37, 5)
    assert got.shape == (37, 4, 4, 1)
    np.testing.assert_allclose(got, want, atol=1e-6)
    # Different weights draw different images from the same latents.
    other = evaluation.sampler(SamplePart(_generator(1), prior))(37, 5)
    assert np.abs(other - want).max() > 0.05


def test_a_run_without_a_weight_average_is_refused_with_the_fix():
    model = types.SimpleNamespace(ema_decay=0.0, generator=None)
    with pytest.raises(ValueError, match="ema_decay=0.999"):
        _bench().generators(model)
