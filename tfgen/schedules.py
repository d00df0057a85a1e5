"""Learning-rate schedules shared by the methods' optimizers.

``linear_decay(lr, end)`` is the decay of the CTRL papers (lr → 0 linearly
over the run). ``linear_decay(lr, end, start)`` holds lr until update
``start`` and then decays it linearly to 0 at update ``end``: the schedule of
CycleGAN (Zhu et al. 2017, Sec. 7.1: a constant rate for the first 100
epochs, then a linear decay to zero over the next 100).
"""

from __future__ import annotations

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgen")
class ConstantThenLinear(keras.optimizers.schedules.LearningRateSchedule):
    """lr for updates < start, then linearly to 0 at update ``end`` (and 0 after)."""

    def __init__(self, lr: float, start: int, end: int):
        if not 0 <= start < end:
            raise ValueError(f"the decay must start before it ends and not before 0 "
                             f"(start {start}, end {end})")
        self.lr, self.start, self.end = float(lr), int(start), int(end)

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        left = (float(self.end) - step) / float(self.end - self.start)
        return self.lr * tf.clip_by_value(left, 0.0, 1.0)

    def get_config(self):
        return {"lr": self.lr, "start": self.start, "end": self.end}


def linear_decay(lr: float, end: int, start: int = 0):
    """lr → 0 linearly, reaching 0 at update ``end``; held constant before ``start``."""
    if start:
        return ConstantThenLinear(lr, start, end)
    # start = 0 keeps the schedule (and so the bits) the runs before this option used.
    return keras.optimizers.schedules.PolynomialDecay(lr, max(int(end), 1), 0.0, power=1.0)
