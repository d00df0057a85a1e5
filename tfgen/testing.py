"""Helpers for tests of any method: same step on N replicas vs one device."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def weights_after_steps(strategy, make_model, batch, steps: int = 1,
                        seed: int = 0) -> list:
    """Builds a model under ``strategy`` and trains it ``steps`` steps on ``batch``.

    Args:
      strategy: the tf.distribute strategy.
      make_model: () -> (model, {player: optimizer}); called in scope after
        seeding Keras, so every strategy starts from the same weights.
      batch: one global batch (array or tuple of arrays), reused each step.
      steps: train steps.
      seed: Keras global seed for the initial weights.

    Returns:
      The model's weights as NumPy arrays, in a fixed order.
    """
    keras.utils.set_random_seed(seed)
    with strategy.scope():
        model, optimizers = make_model()
        model.compile(optimizers, jit_compile=False)
    ds = tf.data.Dataset.from_tensors(batch).repeat()
    model.fit(ds, steps_per_epoch=steps, epochs=1, verbose=0)
    return [np.asarray(w) for w in model.weights]


def max_abs_difference(a: list, b: list) -> float:
    assert len(a) == len(b), (len(a), len(b))
    return max(float(np.max(np.abs(x - y))) if x.size else 0.0
               for x, y in zip(a, b))
