"""DCGAN-style encoder and decoder pairs of CTRL / CoA-CTRL (32×32 images).

After the CoA-CTRL appendix tables for MNIST resized to 32×32 and CIFAR-10
("normal encoders", Radford et al. 2016 layouts): the encoder maps images to
nz features (the model normalizes them onto the sphere), the decoder maps
features back to images in [-1, 1]. Batch norm is synchronized so its
statistics are the global batch's under MirroredStrategy.
"""

from __future__ import annotations

import keras
from keras import layers


def ctrl_encoder(image_shape=(32, 32, 1), nz: int = 128, width: int = 64,
                 name: str = "encoder") -> keras.Model:
    """Conv(w,4,2)+LReLU, Conv(2w,4,2)+BN+LReLU, Conv(4w,4,2)+BN+LReLU, Conv(nz,4)."""
    if image_shape[0] != 32 or image_shape[1] != 32:
        raise ValueError(f"ctrl_encoder expects 32x32 images, got {tuple(image_shape)}; "
                         "set --config.data.image_size=32")
    x_in = keras.Input(tuple(image_shape), name="images")
    x = layers.LeakyReLU(0.2)(layers.Conv2D(width, 4, 2, padding="same")(x_in))
    for ch in (2 * width, 4 * width):
        x = layers.Conv2D(ch, 4, 2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(synchronized=True)(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(nz, 4, 1, padding="valid")(x)  # 4x4 -> 1x1
    out = layers.Flatten(dtype="float32", name="features")(x)
    return keras.Model(x_in, out, name=name)


def ctrl_decoder(image_shape=(32, 32, 1), nz: int = 128, width: int = 64,
                 name: str = "generator") -> keras.Model:
    """ConvT(4w,4) 1→4, then ConvT 2× up to 32×32 with BN+ReLU, tanh output."""
    z = keras.Input((nz,), name="latents")
    x = layers.Reshape((1, 1, nz))(z)
    x = layers.Conv2DTranspose(4 * width, 4, 1, padding="valid", use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization(synchronized=True)(x))
    for ch in (2 * width, width):
        x = layers.Conv2DTranspose(ch, 4, 2, padding="same", use_bias=False)(x)
        x = layers.ReLU()(layers.BatchNormalization(synchronized=True)(x))
    x = layers.Conv2DTranspose(image_shape[-1], 4, 2, padding="same")(x)
    out = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(z, out, name=name)
