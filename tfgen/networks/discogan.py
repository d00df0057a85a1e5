"""DiscoGAN's encoder–decoder generator and its discriminator, at 28/32 px.

Kim et al. 2017, Sec. 4 (network architecture, for 64×64 images): the
generator is an encoder of 4×4 stride-2 convolutions with leaky ReLU and a
decoder of 4×4 stride-2 deconvolutions with ReLU, with no skip connections
(unlike the U-Net) and batch normalisation after every layer but the first
and the last; the discriminator is the generator's encoder followed by a
convolution to one output and a sigmoid (a DCGAN-style critic; here it
returns the logit and the loss applies the sigmoid).

Scaled here: ``depth`` stride-2 stages (default 2: 28 → 7 px, 32 → 8 px at
the bottleneck; the paper's 4 stages take 64 → 4 px) with ``width`` · 2^i
channels (the paper's 64, 128, 256, 512; default width 32). BatchNorm is
synchronized, so replicas use the global batch's statistics, with moving
averages of momentum 0.9 (PyTorch's default 0.1 in Keras's convention, as
the released code ran): Keras's 0.99 leaves a short run's inference-mode
statistics far from the data's (after 300 steps 5% of the initial values
remain), and exports translate in inference mode.
"""

from __future__ import annotations

import keras
from keras import layers


def _check(shape, depth, who):
    if len(shape) != 3:
        raise ValueError(f"{who} reads images (H, W, C), got {shape}")
    if depth < 1 or shape[0] % 2 ** depth or shape[1] % 2 ** depth:
        raise ValueError(f"{who} with depth={depth} needs a height and width divisible "
                         f"by {2 ** max(depth, 0)}; got {shape[:2]}")


def _encoder(x, width, depth):
    for i in range(depth):
        x = layers.Conv2D(width * 2 ** i, 4, strides=2, padding="same",
                          use_bias=i == 0)(x)
        if i > 0:
            x = layers.BatchNormalization(synchronized=True, momentum=0.9)(x)
        x = layers.LeakyReLU(0.2)(x)
    return x


def discogan_generator(in_shape, out_shape, width: int = 32, depth: int = 2,
                       name: str = "discogan_generator") -> keras.Model:
    """Encoder–decoder translator [B, H, W, Ca] → [B, H, W, Cb] in [-1, 1].

    Args:
      in_shape: (H, W, Ca); H and W divisible by 2^depth.
      out_shape: (H, W, Cb), same H and W.
      width: channels of the first encoder stage.
      depth: stride-2 stages of the encoder (and of the decoder).
      name: model name.
    """
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    _check(in_shape, depth, "discogan_generator")
    if len(out_shape) != 3 or out_shape[:2] != in_shape[:2]:
        raise ValueError(f"discogan_generator maps images to images of the same "
                         f"height and width; got {in_shape} -> {out_shape}")
    x_in = keras.Input(in_shape, name="images")
    x = _encoder(x_in, width, depth)
    for i in reversed(range(depth - 1)):
        x = layers.Conv2DTranspose(width * 2 ** i, 4, strides=2, padding="same",
                                   use_bias=False)(x)
        x = layers.BatchNormalization(synchronized=True, momentum=0.9)(x)
        x = layers.ReLU()(x)
    x = layers.Conv2DTranspose(out_shape[2], 4, strides=2, padding="same")(x)
    out = layers.Activation("tanh", dtype="float32", name="translated")(x)
    return keras.Model(x_in, out, name=name)


def discogan_discriminator(shape, width: int = 32, depth: int = 2,
                           name: str = "discogan_discriminator") -> keras.Model:
    """The generator's encoder, then one logit per image.

    Args:
      shape: (H, W, C); H and W divisible by 2^depth.
      width: channels of the first stage.
      depth: stride-2 stages.
      name: model name.
    """
    shape = tuple(shape)
    _check(shape, depth, "discogan_discriminator")
    x_in = keras.Input(shape, name="images")
    x = _encoder(x_in, width, depth)
    # The paper's last convolution covers the whole 4×4 map: a dense layer.
    x = layers.Flatten()(x)
    out = layers.Dense(1, dtype="float32", name="logit")(x)
    return keras.Model(x_in, out, name=name)
