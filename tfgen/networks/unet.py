"""U-Net generator for image-to-image translation (Pix2Pix, CycleGAN option).

Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial
Networks", Sec. 3.2.1 and Appendix 6.1.1: an encoder of 4×4 stride-2
convolutions (BatchNorm except on the first, LeakyReLU 0.2), a decoder of
4×4 stride-2 transposed convolutions (BatchNorm, ReLU), and skip connections
that concatenate encoder stage i onto decoder stage n − i, so low-level
structure (edges, positions) bypasses the bottleneck. Dropout (rate 0.5) in
the first decoder blocks is the generator's only noise source, as in the
paper. Unlike the paper (which keeps dropout at test time), dropout is applied
at training time only, so an exported translator is deterministic.

Scaled to our images: the paper goes from 256 px down to 1×1 in 8 stages
with 64..512 channels; here ``depth`` stages (default 4: 32 → 2 px) with
``width`` · 2^i channels capped at 8 · ``width``. Inputs whose side is not a
multiple of 2^depth (28 px MNIST) are zero-padded inside the network (28 →
32) and the output is cropped back, so the model maps [B, H, W, Ca] →
[B, H, W, Cb] for any H, W.
"""

from __future__ import annotations

import keras
from keras import layers


def _pads(size: int, multiple: int) -> tuple:
    extra = -size % multiple
    return extra // 2, extra - extra // 2


def unet_generator(in_shape, out_shape, width: int = 32, depth: int = 4,
                   dropout: float = 0.5, dropout_blocks: int = 2,
                   skips: bool = True, norm: str = "batch", out_channels: int = 0,
                   name: str = "unet_generator") -> keras.Model:
    """U-Net: images of one domain → tanh images of another.

    Args:
      in_shape: (H, W, Ca) of the input images.
      out_shape: (H, W, Cb) of the output images (same H, W as the input).
      width: channels of the first encoder stage; stage i has
        ``width · 2^min(i, 3)`` (the paper: 64, capped at 512 = 8 · 64).
      depth: stride-2 stages of the encoder (and of the decoder); the
        bottleneck is (padded side) / 2^depth pixels.
      dropout: dropout rate in the first ``dropout_blocks`` decoder blocks
        (training only; 0 turns it off).
      dropout_blocks: how many decoder blocks, from the bottleneck up, carry
        dropout (the paper: the first 3 of 8).
      skips: False drops the skip connections (the paper's plain
        encoder–decoder ablation).
      norm: "batch" (synchronized BatchNorm, so replicas see the global
        batch's statistics; momentum 0.9) or "none".
      out_channels: channels of the output if not out_shape's (0): 2 for
        Pix2Pix's Lab colourisation, whose G predicts the chroma ab.
      name: model name.

    Returns:
      A functional model [B, H, W, Ca] → [B, H, W, Cb] in [-1, 1].
    """
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    if len(in_shape) != 3 or len(out_shape) != 3 or in_shape[:2] != out_shape[:2]:
        raise ValueError(f"unet_generator maps images to images of the same height "
                         f"and width; got {in_shape} -> {out_shape}")
    if depth < 1:
        raise ValueError(f"unet_generator depth must be >= 1, got {depth}")
    if norm not in ("batch", "none"):
        raise ValueError(f"norm must be 'batch' or 'none', got {norm!r}")
    h, w, _ = in_shape
    (top, bottom), (left, right) = _pads(h, 2 ** depth), _pads(w, 2 ** depth)

    def normed(x):
        # Momentum 0.9, not Keras's 0.99: the moving statistics that an
        # exported (inference-mode) translator uses settle within ~50 steps,
        # which short CPU runs need.
        return layers.BatchNormalization(synchronized=True, momentum=0.9)(x) \
            if norm == "batch" else x

    x_in = keras.Input(in_shape, name="images")
    x = x_in
    if top or bottom or left or right:
        x = layers.ZeroPadding2D(((top, bottom), (left, right)))(x)
    widths = [width * 2 ** min(i, 3) for i in range(depth)]
    encoded = []
    for i, ch in enumerate(widths):
        x = layers.Conv2D(ch, 4, strides=2, padding="same", use_bias=i == 0 or
                          norm == "none")(x)
        # No norm on the first stage, nor on a 1×1 bottleneck (a batch
        # statistic over one pixel per image is degenerate).
        if i > 0 and x.shape[1] * x.shape[2] > 1:
            x = normed(x)
        x = layers.LeakyReLU(0.2)(x)
        encoded.append(x)
    # Decoder: from the bottleneck up, each stage doubles the size and (with
    # skips) concatenates the encoder stage of the same size.
    for j in range(depth - 1):
        ch = widths[depth - 2 - j]
        x = layers.Conv2DTranspose(ch, 4, strides=2, padding="same",
                                   use_bias=norm == "none")(x)
        x = normed(x)
        if dropout > 0 and j < dropout_blocks:
            x = layers.Dropout(dropout)(x)
        x = layers.ReLU()(x)
        if skips:
            x = layers.Concatenate()([x, encoded[depth - 2 - j]])
    x = layers.Conv2DTranspose(out_channels or out_shape[2], 4, strides=2,
                               padding="same")(x)
    if top or bottom or left or right:
        x = layers.Cropping2D(((top, bottom), (left, right)))(x)
    out = layers.Activation("tanh", dtype="float32", name="translated")(x)
    return keras.Model(x_in, out, name=name)
