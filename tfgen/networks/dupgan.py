"""DupGAN's generator and (K+1)-way discriminators (Hu et al. 2018, CVPR).

The encoder and the classifier are DANN's (``dann_features``,
``dann_classifier``), so the two methods compare on the same classifier.

* ``dupgan_generator`` (role ``decoder``): [features, domain code] →
  image. Its input is the latent_dim features with a one-hot domain code
  of ``DOMAINS`` = 2 entries appended ([1, 0]: source, [0, 1]: target),
  the "additional domain code" of the paper. Dense → 7×7 map, then
  two stride-2 transposed convolutions up to the image size (sides
  divisible by 4, e.g. 28×28), tanh output in [-1, 1].
* ``dupgan_discriminator`` (role ``class_critic``): image → K + 1 logits,
  K classes and one "fake" (index K). Strided convolutions with leaky
  ReLU, no batch normalisation (its statistics would mix real and
  translated batches, and differ per replica, NOTES-keras3 #8).
* :class:`DomainCode` appends a fixed code, so that encoder → code →
  generator is one functional model (the exported translators).
"""

from __future__ import annotations

import keras

DOMAINS = 2
SOURCE, TARGET = 0, 1


def append_code(features, domain: int):
    """[B, F] features → [B, F + DOMAINS] with domain ``domain``'s one-hot."""
    code = keras.ops.one_hot(keras.ops.full((keras.ops.shape(features)[0],),
                                            int(domain), "int32"), DOMAINS)
    return keras.ops.concatenate([features, keras.ops.cast(code, features.dtype)], -1)


@keras.saving.register_keras_serializable(package="tfgen")
class DomainCode(keras.layers.Layer):
    """features [B, F] → [B, F + DOMAINS] with domain ``domain``'s one-hot."""

    def __init__(self, domain: int, **kwargs):
        super().__init__(**kwargs)
        self.domain = int(domain)

    def call(self, features):
        return append_code(features, self.domain)

    def compute_output_shape(self, shape):
        return (*shape[:-1], None if shape[-1] is None else shape[-1] + DOMAINS)

    def get_config(self):
        return {**super().get_config(), "domain": self.domain}


def dupgan_generator(image_shape, latent_dim: int, base: int = 64,
                     name: str = "generator") -> keras.Model:
    """[features ‖ domain code] → image of ``image_shape`` (H, W divisible by 4)."""
    h, w, c = (int(s) for s in image_shape)
    if h % 4 or w % 4:
        raise ValueError(f"dupgan_generator makes images whose sides divide by 4, "
                         f"got {h}x{w}")
    x = inp = keras.Input((int(latent_dim) + DOMAINS,))
    x = keras.layers.Dense((h // 4) * (w // 4) * 2 * int(base), activation="relu")(x)
    x = keras.layers.Reshape((h // 4, w // 4, 2 * int(base)))(x)
    x = keras.layers.Conv2DTranspose(int(base), 4, strides=2, padding="same",
                                     activation="relu")(x)
    x = keras.layers.Conv2DTranspose(c, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model(inp, x, name=name)


def dupgan_discriminator(image_shape, num_classes: int, filters: tuple = (32, 64),
                         name: str = "discriminator") -> keras.Model:
    """image → K + 1 logits (K classes, then "fake")."""
    x = inp = keras.Input(tuple(image_shape))
    for f in filters:
        x = keras.layers.Conv2D(int(f), 4, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(inp, keras.layers.Dense(int(num_classes) + 1)(x), name=name)


def translator(encoder: keras.Model, generator: keras.Model, domain: int,
               name: str) -> keras.Model:
    """images → G(E(x), domain): one functional model (shares the weights)."""
    x = keras.Input(tuple(encoder.input_shape[1:]))
    out = generator(DomainCode(domain)(encoder(x)))
    return keras.Model(x, out, name=name)
