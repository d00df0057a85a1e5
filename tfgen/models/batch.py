"""Unpacking a batch of a data kind, in one place, with a clear error.

The element structure of each kind is documented in ``tfgen.data.kinds``;
here is only its nesting, which ``Game.batch`` checks before a
``train_step`` reads a batch (a wrong dataset fails with the fix, not with
"too many values to unpack").
"""

from __future__ import annotations

import tensorflow as tf

# Kind → nesting of its elements: "x" a tensor, a tuple a tuple of those.
STRUCTURE = {
    "images": "x",
    "labelled": ("x", "y"),
    "paired": ("a", "b"),
    "unpaired": ("a", "b"),
    "semi_supervised": (("x", "y"), "x_u"),
    "tokens": "t",
}


def _matches(data, shape) -> bool:
    if isinstance(shape, str):
        return tf.is_tensor(data) or hasattr(data, "shape")
    return isinstance(data, (tuple, list)) and len(data) == len(shape) and all(
        _matches(d, s) for d, s in zip(data, shape))


def _describe(shape) -> str:
    if isinstance(shape, str):
        return shape
    return "(" + ", ".join(_describe(s) for s in shape) + ")"


def unpack(kind: str, data, owner: str = "this game"):
    """``data`` if it has ``kind``'s structure; a one-line ValueError otherwise."""
    if kind not in STRUCTURE:
        raise ValueError(f"unknown data kind {kind!r}; valid: {', '.join(STRUCTURE)}")
    shape = STRUCTURE[kind]
    if not _matches(data, shape):
        got = (f"a tuple of {len(data)}" if isinstance(data, (tuple, list))
               else "a single tensor")
        raise ValueError(
            f"{owner} trains on data kind {kind!r}, batches {_describe(shape)}, but "
            f"got {got}; make the dataset with tfgen.data.make({kind!r}, ...)")
    return tuple(data) if isinstance(data, list) else data


def checked_labels(labels, num_classes: int) -> tf.Tensor:
    """Labels as int32 [B], asserted in 0..K−1 before any loss reads them."""
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    checks = [tf.debugging.assert_non_negative(labels, message="labels must be >= 0"),
              tf.debugging.assert_less(labels, num_classes,
                                       message=f"labels must be below {num_classes}")]
    with tf.control_dependencies(checks):
        return tf.identity(labels)
