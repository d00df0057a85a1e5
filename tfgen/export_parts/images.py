"""Parts that map images: ``translate``, ``encode`` and ``classify`` kinds."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen.export_parts.base import Part, dims, input_shape


class _ImagePart(Part):
    """images [B, ...] → one tensor per image, under ``output`` when served."""

    output = ""

    def __init__(self, network):
        super().__init__()
        self.network = network
        self._in = input_shape(network)
        self._out = dims(network.output_shape[1:])
        spec = tf.TensorSpec([None, *self._in], tf.float32, name="images")
        self.__call__ = tf.function(self._apply, input_signature=[spec])
        self.serve = tf.function(self._serve, input_signature=[spec])

    def _apply(self, images):
        return tf.cast(self.network(images, training=False), tf.float32)

    def _serve(self, images):
        return {self.output: self.__call__(images)}

    def preview(self, images) -> np.ndarray:
        """The network on ``images``, eagerly."""
        return np.asarray(self._apply(tf.convert_to_tensor(images, tf.float32)))

    def describe(self) -> dict:
        return {"kind": self.kind, "input_shape": self._in, "output": self.output,
                "output_shape": self._out}

    def signatures(self) -> dict:
        return {"": self.serve}


class TranslatePart(_ImagePart):
    """Images of one domain → images of another; one part per direction.

    Args:
      network: Keras model, images → images.
      name: the direction, e.g. ``"a_to_b"``.
    """

    kind, output = "translate", "images"

    def __init__(self, network, name: str):
        super().__init__(network)
        self.direction = str(name)

    def describe(self) -> dict:
        return dict(super().describe(), direction=self.direction)


class EncodePart(_ImagePart):
    """Images → features (e.g. CTRL's encoder onto the sphere)."""

    kind, output = "encode", "features"


class ClassifyPart(_ImagePart):
    """Images → class logits [B, num_classes]."""

    kind, output = "classify", "logits"

    def __init__(self, network, num_classes: int):
        super().__init__(network)
        self.num_classes = int(num_classes)

    def describe(self) -> dict:
        return dict(super().describe(), num_classes=self.num_classes)
