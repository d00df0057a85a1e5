"""The image history buffer of CycleGAN's discriminators.

Shrivastava et al. 2017 (Sec. 2.3) and Zhu et al. 2017 (Sec. 4, "we update
the discriminators using a history of generated images rather than the ones
produced by the latest generators ... an image buffer that stores the 50
previously created images"): the discriminator sees a mix of the newest
fakes and older ones, which damps oscillation.

The rule, per image of a batch, in order (the paper's released pool):

* while the buffer holds fewer than ``capacity`` images, the new image is
  stored and returned as it is;
* once it is full, with probability ½ a uniformly chosen stored image is
  returned and replaced by the new one; otherwise the new image is returned
  and the buffer is unchanged.

:func:`history_query` is that rule as a pure function of the buffer state,
the images and the random numbers; :class:`HistoryBuffer` keeps the state
in two variables (the images and their count) and draws the random numbers
from a stateless seed, so a run is a function of its seed.

Replicas: the state is ONE buffer of the GLOBAL batch, identical on every
replica. Under ``MirroredStrategy`` each replica all-gathers the global
batch of generated images (replica order = batch order), applies the rule
to it with the same seed, writes the same new state (the variables use
``aggregation="only_first_replica"``, so the written value is replica 0's,
which equals every other's) and keeps its own contiguous slice of the
result. Two replicas therefore return and store exactly what one device
does with the same global batch (tests/test_cyclegan.py checks it), at the
cost of one all-gather of the fakes per step and per buffer.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute

RNG_ALG = distribute.RNG_ALG


def history_query(stored, count, images, uniform, slots):
    """The buffer rule over a batch, image by image (see module docstring).

    Args:
      stored: [capacity, ...] the buffer's images (rows ≥ ``count`` unused).
      count: int32 scalar, how many rows hold images.
      images: [B, ...] new images.
      uniform: float [B] in [0, 1): image i returns a stored one if < ½
        (once the buffer is full).
      slots: int32 [B] in [0, capacity): the stored row image i would take.

    Returns:
      (returned images [B, ...], new stored, new count).
    """
    capacity = tf.shape(stored)[0]
    n = tf.shape(images)[0]
    out = tf.TensorArray(images.dtype, size=n, element_shape=images.shape[1:])

    def body(i, stored, count, out):
        image = images[i]
        filling = count < capacity
        swap = tf.logical_and(tf.logical_not(filling), uniform[i] < 0.5)
        row = tf.where(filling, count, slots[i])
        old = tf.gather(stored, tf.minimum(row, capacity - 1))
        returned = tf.where(swap, old, image)
        write = tf.logical_or(filling, swap)
        new_row = tf.where(write, image, old)
        stored = tf.tensor_scatter_nd_update(
            stored, tf.reshape(tf.minimum(row, capacity - 1), [1, 1]), new_row[None])
        count = count + tf.cast(filling, count.dtype)
        return i + 1, stored, count, out.write(i, returned)

    _, stored, count, out = tf.while_loop(
        lambda i, *_: i < n, body, (tf.constant(0), stored, count, out))
    return out.stack(), stored, count


@keras.saving.register_keras_serializable(package="tfgen")
class HistoryBuffer(keras.layers.Layer):
    """A buffer of the last ``capacity`` generated images (state in variables).

    Args:
      capacity: images kept (the paper: 50); 0 turns the buffer off (the
        layer then returns its input).
      image_shape: one image's shape.
    """

    def __init__(self, capacity: int, image_shape, **kwargs):
        super().__init__(**kwargs)
        if capacity < 0:
            raise ValueError(f"history buffer capacity must be >= 0, got {capacity}")
        self.capacity = int(capacity)
        self.image_shape = tuple(int(d) for d in image_shape)
        # One attribute per variable so that checkpoints hold them.
        self.images = self.add_weight(
            shape=(max(self.capacity, 1),) + self.image_shape, initializer="zeros",
            trainable=False, aggregation="only_first_replica", name="images")
        self.count = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False,
            aggregation="only_first_replica", name="count")
        self.built = True

    def query(self, images: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
        """This replica's images for the discriminator, updating the buffer.

        Args:
          images: this replica's generated images [b, ...] (no gradient is
            kept through them).
          seed: a stateless seed [2], the same on every replica.
        """
        images = tf.stop_gradient(tf.cast(images, tf.float32))
        if self.capacity == 0:
            return images
        batch = distribute.gather_global(images)
        n = tf.shape(batch)[0]
        uniform = tf.random.stateless_uniform([n], seed, alg=RNG_ALG)
        slots = tf.random.stateless_uniform(
            [n], tf.random.experimental.stateless_fold_in(seed, 1),
            maxval=self.capacity, dtype=tf.int32, alg=RNG_ALG)
        out, stored, count = history_query(
            tf.convert_to_tensor(self.images), tf.convert_to_tensor(self.count),
            batch, uniform, slots)
        self.images.assign(stored)
        self.count.assign(count)
        return distribute.local_slice(out)

    def get_config(self):
        return dict(super().get_config(), capacity=self.capacity,
                    image_shape=self.image_shape)
