"""A small CNN classifier for 28×28 grey images, the feature network of the
Fréchet classifier distance, the classifier score and the Stacked-MNIST mode
count. Its penultimate layer (``features``, 128 units) gives the features."""

from __future__ import annotations

import keras
from keras import layers


def small_cnn(image_shape=(28, 28, 1), num_classes: int = 10,
              name: str = "classifier") -> keras.Model:
    """Conv32-Conv32-pool-Conv64-Conv64-pool-Dense128(features)-Dense(logits)."""
    x_in = keras.Input(tuple(image_shape), name="images")
    x = x_in
    for ch in (32, 64):
        x = layers.Conv2D(ch, 3, padding="same", activation="relu")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Conv2D(ch, 3, padding="same", activation="relu")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Dropout(0.25)(x)
    x = layers.Flatten()(x)
    feats = layers.Dense(128, activation="relu", name="features")(x)
    x = layers.Dropout(0.4)(feats)
    logits = layers.Dense(num_classes, name="logits", dtype="float32")(x)
    return keras.Model(x_in, logits, name=name)
