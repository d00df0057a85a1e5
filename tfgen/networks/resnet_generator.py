"""CycleGAN's ResNet-block generator, scaled to 28 and 32 px images.

Zhu et al. 2017, Appendix 7.2 (after Johnson et al. 2016): c7s1-64, d128,
d256, R256 × 6 (128 px) or × 9 (256 px), u128, u64, c7s1-3, where c7s1-k is
a 7×7 stride-1 convolution with k filters, dk a 3×3 stride-2 convolution,
Rk a residual block of two 3×3 convolutions, uk a 3×3 stride-½ (transposed)
convolution; each followed by instance normalisation and ReLU, reflection
padding at the borders, tanh at the output.

Scaled here: the same two down- and two up-sampling stages (28 → 7 px and
32 → 8 px at the bottleneck, as 128 → 32 in the paper), with ``width``
channels at the first stage (the paper's 64; default 32) and ``blocks``
residual blocks (the paper's 6 at 128 px; default 6). Instance
normalisation is ``GroupNormalization`` with one group per channel and no
affine parameters (the released code's default), so it reads one image at
a time: nothing depends on the batch or on the replicas.
"""

from __future__ import annotations

import keras
from keras import layers


@keras.saving.register_keras_serializable(package="tfgen")
class ReflectionPad(layers.Layer):
    """Pads height and width by ``pad`` pixels, mirroring the border."""

    def __init__(self, pad: int, **kwargs):
        super().__init__(**kwargs)
        self.pad = int(pad)

    def call(self, x):
        p = self.pad
        return keras.ops.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

    def compute_output_shape(self, shape):
        grow = lambda d: None if d is None else d + 2 * self.pad  # noqa: E731
        return (shape[0], grow(shape[1]), grow(shape[2]), shape[3])

    def get_config(self):
        return dict(super().get_config(), pad=self.pad)


def instance_norm(x, norm: str = "instance"):
    """Instance normalisation (one group per channel), batch normalisation
    (``"batch"``: synchronized, momentum 0.9, as DiscoGAN's networks; a
    diagnostic, docs/benchmarks/two_domain.md), or nothing."""
    if norm == "none":
        return x
    if norm == "batch":
        return layers.BatchNormalization(synchronized=True, momentum=0.9)(x)
    return layers.GroupNormalization(groups=x.shape[-1], epsilon=1e-5,
                                     center=False, scale=False)(x)


def _conv(x, filters, kernel, norm, stride=1, act=True):
    if stride == 1 and kernel > 1:
        x = ReflectionPad(kernel // 2)(x)
        x = layers.Conv2D(filters, kernel, padding="valid")(x)
    else:
        x = layers.Conv2D(filters, kernel, strides=stride, padding="same")(x)
    x = instance_norm(x, norm)
    return layers.ReLU()(x) if act else x


def resnet_generator(in_shape, out_shape, width: int = 32, blocks: int = 6,
                     norm: str = "instance", downsample: int = 2,
                     name: str = "resnet_generator") -> keras.Model:
    """ResNet-block translator [B, H, W, Ca] → [B, H, W, Cb] in [-1, 1].

    Args:
      in_shape: (H, W, Ca); H and W must be multiples of 2^downsample.
      out_shape: (H, W, Cb), same H and W.
      width: channels of the first stage (then 2·width, 4·width in the
        residual blocks); the paper's 64.
      blocks: residual blocks at the bottleneck (the paper: 6 at 128 px).
      norm: "instance" (the paper's), "batch" or "none".
      downsample: stride-2 stages before the blocks (the paper's 2, so its
        blocks work at 32 px of 128; 1 keeps 14 px of 28 px MNIST, and the
        stages have width, 2·width channels).
      name: model name.
    """
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    if len(in_shape) != 3 or len(out_shape) != 3 or in_shape[:2] != out_shape[:2]:
        raise ValueError(f"resnet_generator maps images to images of the same height "
                         f"and width; got {in_shape} -> {out_shape}")
    if downsample not in (1, 2):
        raise ValueError(f"resnet_generator downsample must be 1 or 2, got {downsample}")
    if in_shape[0] % 2 ** downsample or in_shape[1] % 2 ** downsample:
        raise ValueError(f"resnet_generator needs a height and width divisible by "
                         f"{2 ** downsample} ({downsample} stride-2 stages); got "
                         f"{in_shape[:2]}")
    if norm not in ("instance", "batch", "none"):
        raise ValueError(f"norm must be 'instance', 'batch' or 'none', got {norm!r}")
    if blocks < 0 or width < 1:
        raise ValueError(f"resnet_generator needs width >= 1 and blocks >= 0, "
                         f"got {width}, {blocks}")
    x_in = keras.Input(in_shape, name="images")
    x = _conv(x_in, width, 7, norm)                          # c7s1-64
    stages = [2 * width, 4 * width][:downsample]
    for ch in stages:                                        # d128, d256
        x = _conv(x, ch, 3, norm, stride=2)
    for _ in range(blocks):                                  # R256
        y = _conv(x, stages[-1], 3, norm)
        y = _conv(y, stages[-1], 3, norm, act=False)
        x = layers.Add()([x, y])
    for ch in ([width] + stages)[-2::-1]:                    # u128, u64
        x = layers.Conv2DTranspose(ch, 3, strides=2, padding="same")(x)
        x = layers.ReLU()(instance_norm(x, norm))
    x = ReflectionPad(3)(x)                                  # c7s1-3
    x = layers.Conv2D(out_shape[2], 7, padding="valid")(x)
    out = layers.Activation("tanh", dtype="float32", name="translated")(x)
    return keras.Model(x_in, out, name=name)
