"""What every export part shares: the base class and small helpers."""

from __future__ import annotations

import tensorflow as tf

KINDS = ("sample", "conditional_sample", "translate", "encode", "classify",
         "generate_tokens")
SAMPLE_KINDS = ("sample", "conditional_sample")

NUM = tf.TensorSpec([], tf.int32, name="num")
SEED = tf.TensorSpec([], tf.int32, name="seed")


def seed_pair(seed):
    """The stateless seed [seed, 0] of an int32 scalar seed."""
    return tf.stack([seed, tf.constant(0, tf.int32)])


def dims(shape) -> list:
    return [None if s is None else int(s) for s in shape]


def input_shape(network, index: int = 0) -> list:
    """One example's input shape (of input ``index`` when there are several)."""
    shape = network.input_shape
    if isinstance(shape, list):
        shape = shape[index]
    return dims(shape[1:])


class Part(tf.Module):
    """A piece of an export; subclasses set ``kind`` and fill the methods."""

    kind = ""

    def describe(self) -> dict:
        """JSON facts for ``tfgen.json``: the kind plus shapes and sizes."""
        raise NotImplementedError

    def signatures(self) -> dict:
        """Serving functions keyed by suffix: ``""`` is named after the part,
        ``"seeded"`` gets ``<part>_seeded``. Each returns a dict of tensors."""
        raise NotImplementedError
