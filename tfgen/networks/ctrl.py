"""DCGAN-style encoder and decoder of CTRL / CoA-CTRL for 32×32 images.

The "normal encoders" of CoA-CTRL (Wang et al. 2023, appendix A.2.1 and its
network tables), which are those of CTRL (Dai et al. 2022) and of DCGAN
(Radford et al. 2016), for MNIST resized to 32×32 (1 channel) and CIFAR-10
(3 channels), with w = ``width`` (64 in the paper) and nz = 128:

    encoder  x 32×32×c → conv 4×4 s2 w, lReLU(0.2)                      16×16
                       → conv 4×4 s2 2w, BN, lReLU(0.2)                  8×8
                       → conv 4×4 s2 4w, BN, lReLU(0.2)                  4×4
                       → conv 4×4 s1 valid nz → flatten                  nz
    decoder  z nz      → convT 4×4 s1 valid 4w, BN, ReLU                 4×4
                       → convT 4×4 s2 2w, BN, ReLU                       8×8
                       → convT 4×4 s2 w, BN, ReLU                        16×16
                       → convT 4×4 s2 c, tanh                            32×32×c

The encoder's features are NOT projected onto the sphere unless
``normalize=True`` (a final ``UnitNormalization``): the CTRL model applies
``tfgen.losses.rate_reduction.normalize`` itself. Batch norm is synchronized
(``BatchNormalization(synchronized=True)``) so that its statistics are those
of the global batch under ``MirroredStrategy`` (``NOTES-keras3.md`` item 8),
with PyTorch's defaults (momentum 0.1, i.e. Keras momentum 0.9, ε = 1e-5) as
in the reference code. ``init="dcgan"`` starts the weights from DCGAN's
N(0, 0.02) (BN scale N(1, 0.02)); the default keeps the Keras initializers
(Glorot uniform), which learned faster in our short MNIST runs
(tests/test_ctrl_model.py: CoA-CTRL held-out MSE 0.88 → 0.39 in 200 steps at
lr 1e-3, against 0.88 → 0.82 with the DCGAN init). Stride-2 "same" padding
equals the tables' pad = 1 at these sizes.
"""

from __future__ import annotations

import keras
from keras import layers


INITS = ("keras", "dcgan")


def kernel_init(init: str = "keras"):
    """Kernel initializer: Keras' Glorot uniform, or DCGAN's N(0, 0.02)
    (Radford et al. 2016, section 4)."""
    _check_init(init)
    return keras.initializers.RandomNormal(0.0, 0.02) if init == "dcgan" else "glorot_uniform"


def sync_batch_norm(init: str = "keras"):
    """Batch norm whose statistics are the global batch's across replicas."""
    _check_init(init)
    gamma = keras.initializers.RandomNormal(1.0, 0.02) if init == "dcgan" else "ones"
    return layers.BatchNormalization(synchronized=True, momentum=0.9, epsilon=1e-5,
                                     gamma_initializer=gamma)


def ctrl_encoder(image_shape=(32, 32, 1), nz: int = 128, width: int = 64,
                 normalize: bool = False, init: str = "keras",
                 name: str = "encoder") -> keras.Model:
    """DCGAN-style encoder f(x, θ): 32×32×c images → nz features.

    Args:
      image_shape: (32, 32, channels).
      nz: feature dimension.
      width: channels of the first convolution (64 in the paper).
      normalize: end with a ``UnitNormalization`` layer (features on the
        sphere); False leaves normalization to the model.
      init: "keras" (Glorot uniform) or "dcgan" (N(0, 0.02)).
      name: model name.

    Returns:
      A functional ``keras.Model`` [b, 32, 32, c] → [b, nz] (float32).
    """
    _check_32(image_shape, "ctrl_encoder")
    _check_positive(nz=nz, width=width)
    x_in = keras.Input(tuple(image_shape), name="images")
    x = layers.Conv2D(width, 4, 2, padding="same", kernel_initializer=kernel_init(init))(x_in)
    x = layers.LeakyReLU(0.2)(x)
    for ch in (2 * width, 4 * width):
        x = layers.Conv2D(ch, 4, 2, padding="same", use_bias=False,
                          kernel_initializer=kernel_init(init))(x)
        x = layers.LeakyReLU(0.2)(sync_batch_norm(init)(x))
    x = layers.Conv2D(nz, 4, 1, padding="valid", kernel_initializer=kernel_init(init))(x)
    out = layers.Flatten(dtype="float32", name="features" if not normalize else None)(x)
    if normalize:
        out = layers.UnitNormalization(axis=-1, dtype="float32", name="features")(out)
    return keras.Model(x_in, out, name=name)


def ctrl_decoder(image_shape=(32, 32, 1), nz: int = 128, width: int = 64,
                 init: str = "keras", name: str = "generator") -> keras.Model:
    """DCGAN-style decoder g(z, η): nz features → 32×32×c images in [-1, 1].

    Args:
      image_shape: (32, 32, channels) of the images produced.
      nz: feature dimension.
      width: channels of the last hidden layer (64 in the paper); the first
        has 4·width.
      init: "keras" (Glorot uniform) or "dcgan" (N(0, 0.02)).
      name: model name.

    Returns:
      A functional ``keras.Model`` [b, nz] → [b, 32, 32, c] (tanh, float32).
    """
    _check_32(image_shape, "ctrl_decoder")
    _check_positive(nz=nz, width=width)
    z = keras.Input((nz,), name="latents")
    x = layers.Reshape((1, 1, nz))(z)
    x = layers.Conv2DTranspose(4 * width, 4, 1, padding="valid", use_bias=False,
                               kernel_initializer=kernel_init(init))(x)
    x = layers.ReLU()(sync_batch_norm(init)(x))
    for ch in (2 * width, width):
        x = layers.Conv2DTranspose(ch, 4, 2, padding="same", use_bias=False,
                                   kernel_initializer=kernel_init(init))(x)
        x = layers.ReLU()(sync_batch_norm(init)(x))
    x = layers.Conv2DTranspose(image_shape[-1], 4, 2, padding="same",
                               kernel_initializer=kernel_init(init))(x)
    out = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(z, out, name=name)


def _check_32(image_shape, fn):
    if len(image_shape) != 3 or tuple(image_shape[:2]) != (32, 32):
        raise ValueError(f"{fn} expects 32x32xC images, got {tuple(image_shape)}; "
                         "resize the data to 32x32 (--config.data.image_size=32)")


def _check_init(init):
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")


def _check_positive(**sizes):
    for key, value in sizes.items():
        if int(value) < 1:
            raise ValueError(f"{key} must be a positive integer, got {value}")
