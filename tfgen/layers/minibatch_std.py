"""Minibatch standard deviation: one feature map that tells the critic how
varied its batch is (Karras et al. 2018).

Karras, Aila, Laine and Lehtinen 2018, "Progressive Growing of GANs for
Improved Quality, Stability, and Variation" (ICLR), Sec. 3: compute the
standard deviation of every feature at every position over the minibatch,
average those over features and positions into one number, and append it
to every example as a constant extra feature map near the critic's end. A
generator that collapses lowers the number on its batches, which the critic
can then tell from real ones. StyleGAN (Karras et al. 2019, Appendix) takes
the statistic over groups of ``group_size`` examples rather than the whole
batch; that is the form here (``group_size`` = the batch gives the 2018
layer).

The statistic couples the examples of a group, as batch norm does, so a
per-example gradient penalty (WGAN-GP, R1) is then per group; Karras et al.
use the layer with both. Groups are formed within each replica's batch, so
under ``tf.distribute`` every replica's batch must divide into groups.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops


@keras.saving.register_keras_serializable(package="tfgen")
class MinibatchStd(layers.Layer):
    """[B, H, W, C] → [B, H, W, C + 1]: appends each group's mean feature std.

    Args:
      group_size: examples per group; the batch (per replica) must be a
        multiple of it, or smaller than it (then the whole batch is one group).
      epsilon: added to the variance before the square root.
    """

    def __init__(self, group_size: int = 4, epsilon: float = 1e-8, **kwargs):
        super().__init__(**kwargs)
        if int(group_size) < 2:
            raise ValueError(f"group_size must be >= 2 (a standard deviation needs two "
                             f"examples), got {group_size}")
        self.group_size = int(group_size)
        self.epsilon = float(epsilon)

    def call(self, x):
        shape = ops.shape(x)
        batch = shape[0]
        group = ops.minimum(batch, self.group_size)
        tf.debugging.assert_equal(
            batch % group, 0, message=f"MinibatchStd: the batch (per replica) must be a "
            f"multiple of group_size={self.group_size}; change the batch or the group size")
        # [G, B/G, H, W, C]: example i belongs to group i mod (B/G), as in
        # StyleGAN, so a group mixes examples from across the batch.
        y = ops.reshape(x, (group, -1, shape[1], shape[2], shape[3]))
        y = ops.cast(y, "float32")
        var = ops.mean(ops.square(y - ops.mean(y, axis=0, keepdims=True)), axis=0)
        std = ops.mean(ops.sqrt(var + self.epsilon), axis=(1, 2, 3))  # [B/G]
        std = ops.cast(std, x.dtype)
        per_example = ops.tile(std, (group,))  # example i gets std[i mod (B/G)]
        fmap = ops.broadcast_to(ops.reshape(per_example, (-1, 1, 1, 1)),
                                (batch, shape[1], shape[2], 1))
        return ops.concatenate([x, fmap], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], None if input_shape[-1] is None else input_shape[-1] + 1)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size,
                "epsilon": self.epsilon}
