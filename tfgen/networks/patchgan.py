"""PatchGAN discriminator: a map of real/fake logits, one per image patch.

Isola et al. 2017, Sec. 3.2.2 and Appendix 6.1.2: a fully convolutional
discriminator whose every output sees only an N×N patch of its input, so it
penalises structure at the scale of patches (L1 takes care of the low
frequencies). The paper's 70×70 discriminator is C64-C128-C256 (4×4, stride
2), then C512 (4×4, stride 1), then a 4×4 stride-1 convolution to one logit
per patch; BatchNorm on every layer but the first, LeakyReLU 0.2.

Receptive field, counted back from one output logit: a layer of kernel k and
stride s turns a field r into (r − 1)·s + k (see :func:`receptive_field`).
The paper's config is ``downsample=3, extra=1, kernel=4, head_kernel=4``:
4 → 7 → 16 → 34 → 70 pixels.

Scaled to our images: 70 px at 256 px is 27% of the image side. At 28 and 32
px that is 8–9 px, which ``downsample=1, extra=0, kernel=4, head_kernel=3``
gives exactly: 3 → (3 − 1)·2 + 4 = 8 px (29% of 28 px, 25% of 32 px), with a
16×16 map of logits at 32 px (14×14 at 28 px). These are the defaults. The
paper's other settings, scaled by the same ratio, are ``downsample=1,
extra=1, head_kernel=4`` (16 px: "16×16 PatchGAN" at 256 px is 6%, ours is
half the image, the nearest we have) and ``downsample=2`` and more
(an "ImageGAN" that sees the whole 28/32 px image).

Pix2Pix's discriminator reads the input and the output image concatenated
on channels (shape (H, W, Ca + Cb)); CycleGAN's reads one image (H, W, C).
"""

from __future__ import annotations

import keras
from keras import layers


def layer_specs(downsample: int = 1, extra: int = 0, kernel: int = 4,
                head_kernel: int = 3) -> list:
    """(kernel, stride) of each convolution, input first."""
    return [(kernel, 2)] * downsample + [(kernel, 1)] * extra + [(head_kernel, 1)]


def receptive_field(downsample: int = 1, extra: int = 0, kernel: int = 4,
                    head_kernel: int = 3) -> int:
    """Side in pixels of the input patch one output logit sees.

    Args: as :func:`patchgan_discriminator`.

    Returns:
      r, from r = 1 at the output and r ← (r − 1)·s + k through each layer
      from the last to the first (e.g. 70 for the paper's configuration
      ``downsample=3, extra=1, kernel=4, head_kernel=4``).
    """
    r = 1
    for k, s in reversed(layer_specs(downsample, extra, kernel, head_kernel)):
        r = (r - 1) * s + k
    return r


def patchgan_discriminator(shape, width: int = 64, downsample: int = 1,
                           extra: int = 0, kernel: int = 4, head_kernel: int = 3,
                           norm: str = "batch", in_channels: int = 0,
                           name: str = "patchgan_discriminator") -> keras.Model:
    """Fully convolutional discriminator → a [B, h, w, 1] map of logits.

    Args:
      shape: (H, W, C) of the input: one image (CycleGAN) or the input and
        output images concatenated on channels (Pix2Pix).
      width: channels of the first convolution; each later one doubles them
        (capped at 8 · width, as the paper's 512 = 8 · 64).
      downsample: stride-2 convolutions (set the receptive field with
        ``extra`` and the kernels; see :func:`receptive_field`).
      extra: stride-1 convolutions after them (the paper's C512: 1).
      kernel: kernel of those convolutions (the paper: 4).
      head_kernel: kernel of the last, stride-1 convolution to one logit.
      norm: "batch" (synchronized BatchNorm after every convolution but the
        first and the head, as the paper) or "none".
      in_channels: channels of the input if not shape's (0): 3 for Pix2Pix's
        Lab colourisation, whose D reads (L, ab).
      name: model name.

    Returns:
      A functional model images → logits [B, h, w, 1] (float32), one per
      patch of side ``receptive_field(downsample, extra, kernel, head_kernel)``.
    """
    shape = tuple(shape)
    if len(shape) != 3:
        raise ValueError(f"patchgan_discriminator reads images (H, W, C), got {shape}")
    if downsample < 0 or extra < 0:
        raise ValueError(f"downsample and extra must be >= 0, got {downsample}, {extra}")
    if norm not in ("batch", "none"):
        raise ValueError(f"norm must be 'batch' or 'none', got {norm!r}")
    if in_channels:
        shape = shape[:-1] + (in_channels,)
    x_in = keras.Input(shape, name="images")
    x = x_in
    specs = layer_specs(downsample, extra, kernel, head_kernel)
    for i, (k, s) in enumerate(specs[:-1]):
        x = layers.Conv2D(width * 2 ** min(i, 3), k, strides=s, padding="same",
                          use_bias=i == 0 or norm == "none")(x)
        if i > 0 and norm == "batch":
            x = layers.BatchNormalization(synchronized=True)(x)
        x = layers.LeakyReLU(0.2)(x)
    out = layers.Conv2D(1, head_kernel, padding="same", dtype="float32",
                        name="patch_logits")(x)
    return keras.Model(x_in, out, name=name)
