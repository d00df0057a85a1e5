"""The exponential moving average of a game's networks (``Game.ema_networks``).

An EMA of the generator's weights (Karras et al. 2018; Yazıcı et al. 2019)
samples better than the last iterate. Its variables start at the initial
weights, so after ``n`` updates with decay ``d`` a share ``d**n`` of the
average is still the random initialisation: with ``d = 0.999`` that is 14%
after 2,000 steps and 5% after 3,000, and such an average samples worse than
the raw generator at short budgets (docs/BENCHMARKS.md, issue 16 part 1).

``ema_warmup`` caps the decay at update ``n`` (counted from 0) by
``(1 + n) / (10 + n)``, the ``num_updates`` rule of TensorFlow's
``tf.train.ExponentialMovingAverage``: early updates average over the
few steps there are, and the cap reaches ``d`` at update
``(10 d - 1) / (1 - d)`` (8,990 for 0.999), after which the two schedules
are the same.

``ema_power`` (γ > 0) makes the average a power-function average instead
(Karras et al. 2024, "Analyzing and Improving the Training Dynamics of
Diffusion Models", section 3.1): the decay at update ``t = n + 1`` is
``(1 - 1/t) ** (γ + 1)``, capped by ``ema_decay``. While the cap does not
bind, the average after ``T`` updates is exactly
``Σ_k [k^(γ+1) - (k-1)^(γ+1)] w_k / T^(γ+1)``: update ``k``'s weight grows
like ``k^γ``, the initial weights have none, and the window grows with the
run (γ = 1: a linearly weighted average of every step). The warm-up above is
close to γ = 8, since ``(1 + n)/(10 + n) ≈ (1 - 1/t)^9``: an average over
about the last ninth of the run. docs/benchmarks/quality_budget.md, "The
shape of the weight average", measured γ = 1 to 32 on MNIST.
"""

from __future__ import annotations

import keras
import tensorflow as tf


class Averages(keras.layers.Layer):
    """The EMA variables of a game's averaged networks, one per weight.

    A layer, so that ``tf.train.Checkpoint`` saves them with the model and a
    resumed run continues the same averages.
    """

    def __init__(self, weights, **kwargs):
        super().__init__(name="ema", **kwargs)
        self.values = []
        for i, w in enumerate(weights):
            v = self.add_weight(shape=tuple(w.shape), dtype=w.dtype, initializer="zeros",
                                trainable=False, aggregation="only_first_replica",
                                name=f"average_{i}")
            v.assign(w)
            # One attribute per variable: TensorFlow's checkpoint follows
            # attributes, not the Keras-tracked list.
            setattr(self, f"average_{i}", v)
            self.values.append(v)
        self.built = True  # nothing to build from data (fit checks sublayers)


def decay_at(decay: float, step, warmup: bool, power: float = 0.0):
    """The decay of update number ``step`` (0 for the first update).

    Without the warm-up or a power, the Python float itself, so that the
    update's arithmetic (and a run's bits) stay what they were before the
    warm-up existed. The power rule is computed in float64: at ``t`` near
    10^5, ``1 - 1/t`` in float32 would be off by a few percent of ``1/t``.
    """
    if power > 0:
        t = tf.cast(step, tf.float64) + 1.0
        rule = tf.pow(1.0 - 1.0 / t, tf.constant(power + 1.0, tf.float64))
        return tf.cast(tf.minimum(tf.constant(decay, tf.float64), rule), tf.float32)
    if not warmup:
        return float(decay)
    n = tf.cast(step, tf.float32)
    return tf.minimum(tf.constant(decay, tf.float32), (1.0 + n) / (10.0 + n))


def update(averages: list, weights: list, decay) -> None:
    """``avg <- decay * avg + (1 - decay) * w`` for each pair."""
    for avg, w in zip(averages, weights):
        d = decay if isinstance(decay, float) else tf.cast(decay, avg.dtype)
        avg.assign(d * avg + (1.0 - d) * tf.cast(w, avg.dtype))
