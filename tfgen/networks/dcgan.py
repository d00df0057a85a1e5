"""DCGAN-style convolutional generator and discriminator.

Radford et al. 2016, "Unsupervised Representation Learning with Deep
Convolutional GANs": strided convolutions instead of pooling, batch norm in
the generator, ReLU in the generator and LeakyReLU(0.2) in the discriminator,
tanh output. The defaults at 28×28×1 are exactly the ``dcgan28`` reference
network of ``bench/throughput.py``.

``upsample="resize"`` replaces each transposed convolution by a resize
followed by a 3×3 convolution, the fix for checkerboard artifacts that the GAN
tutorial discusses (Odena et al. 2016, "Deconvolution and Checkerboard
Artifacts").
"""

from __future__ import annotations

import keras
from keras import layers

from tfgen.layers.minibatch_std import MinibatchStd
from tfgen.layers.spectral_norm import SpectralNorm


def _num_stages(size: int) -> int:
    """Stride-2 stages so that the smallest feature map is 7 or 8 (or less)."""
    stages = 0
    while size % 2 == 0 and size > 8:
        size //= 2
        stages += 1
    if stages == 0:  # e.g. 8×8 digits: one stage from 4×4
        stages = 1 if size % 2 == 0 else 0
    return stages


def top_down(x, image_shape, width: int = 64, upsample: str = "transpose"):
    """The generator's stack on a [B, n] tensor: Dense → k × (up-convolution +
    BN + ReLU) → tanh images (shared by the DCGAN and the conditional
    generators; arguments as :func:`dcgan_generator`)."""
    if upsample not in ("transpose", "resize"):
        raise ValueError(f"upsample must be 'transpose' or 'resize', got {upsample!r}")
    h, w, c = image_shape
    stages = _num_stages(h)
    h0, w0 = h // 2 ** stages, w // 2 ** stages
    ch0 = width * 2 ** max(stages - 1, 0)
    x = layers.Dense(h0 * w0 * ch0, use_bias=False)(x)
    x = layers.BatchNormalization(synchronized=True)(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((h0, w0, ch0))(x)
    for i in range(stages):
        last = i == stages - 1
        ch = c if last else ch0 // 2 ** (i + 1)
        if upsample == "transpose":
            x = layers.Conv2DTranspose(ch, 4, strides=2, padding="same",
                                       use_bias=last)(x)
        else:
            x = layers.UpSampling2D(2, interpolation="nearest")(x)
            x = layers.Conv2D(ch, 3, padding="same", use_bias=last)(x)
        if not last:
            x = layers.BatchNormalization(synchronized=True)(x)
            x = layers.ReLU()(x)
    if stages == 0:
        x = layers.Conv2D(c, 3, padding="same")(x)
    return layers.Activation("tanh", dtype="float32", name="images")(x)


def dcgan_generator(latent_dim: int, image_shape, width: int = 64,
                    upsample: str = "transpose",
                    name: str = "generator") -> keras.Model:
    """Top-down generator: Dense → k × (up-convolution + BN + ReLU) → tanh.

    Args:
      latent_dim: size of the latent vector z.
      image_shape: (H, W, C) of the output images; H = W, divisible by 2^k.
      width: channels of the last hidden stage; earlier stages double it.
      upsample: "transpose" (ConvTranspose 4×4, stride 2) or "resize"
        (nearest-neighbour ×2 then Conv 3×3).
      name: model name.

    Returns:
      A functional model z [B, latent_dim] → images [B, H, W, C] in [-1, 1].
    """
    z = keras.Input((latent_dim,), name="latents")
    return keras.Model(z, top_down(z, image_shape, width, upsample), name=name)


def dcgan_discriminator(image_shape, width: int = 64, spectral_norm: bool = False,
                        minibatch_std: int = 0, hidden: int = 0,
                        name: str = "discriminator") -> keras.Model:
    """Bottom-up critic: k × (Conv 4×4 stride 2 + LeakyReLU 0.2) → Dense(1).

    No batch norm: it would couple examples, which breaks the per-example
    gradient penalty of WGAN-GP (Gulrajani et al. 2017, Sec. 4).

    Args:
      image_shape: (H, W, C) of the input images.
      width: channels of the first stage; later stages double it.
      spectral_norm: wrap every convolution and the output layer in
        :class:`tfgen.layers.SpectralNorm` (Miyato et al. 2018).
      minibatch_std: 0 (off), or the group size of a
        :class:`tfgen.layers.MinibatchStd` feature map appended after the last
        convolution (Karras et al. 2018; it couples the examples of a group).
      hidden: 0 (off), or the units of a fully connected layer (LeakyReLU 0.2)
        between the last convolution and the score: the discriminator's
        1024-unit layer of the InfoGAN networks (Chen et al. 2016, Appendix
        C.1) behind Lucic et al. 2018's MNIST FIDs, without their batch norm
        (which would couple the examples, as above).
      name: model name.

    Returns:
      A functional model images → raw scores [B, 1] (logits for GAN losses).
    """
    if minibatch_std < 0 or minibatch_std == 1:
        raise ValueError(f"minibatch_std must be 0 (off) or a group size >= 2, "
                         f"got {minibatch_std}")
    if hidden < 0:
        raise ValueError(f"hidden must be 0 (off) or a number of units, got {hidden}")
    stages = max(_num_stages(image_shape[0]), 1)
    x_in = keras.Input(tuple(image_shape), name="images")
    x = x_in
    wrap = SpectralNorm if spectral_norm else (lambda layer: layer)
    for i in range(stages):
        x = wrap(layers.Conv2D(width * 2 ** i, 4, strides=2, padding="same"))(x)
        x = layers.LeakyReLU(0.2)(x)
    if minibatch_std:
        x = MinibatchStd(minibatch_std)(x)
    x = layers.Flatten()(x)
    if hidden:
        x = layers.LeakyReLU(0.2)(wrap(layers.Dense(hidden))(x))
    if spectral_norm:
        out = SpectralNorm(layers.Dense(1, dtype="float32"), dtype="float32",
                           name="score")(x)
    else:
        out = layers.Dense(1, dtype="float32", name="score")(x)
    return keras.Model(x_in, out, name=name)
