"""The "deep encoders" and the De8 decoder of CoA-CTRL (Wang et al. 2023, A.2.2).

Encoders: pre-activation ResNet-18 / -50 / -101 (He et al. 2016, "Identity
mappings in deep residual networks"; basic blocks for 18, bottleneck blocks
for 50 and 101) as CoA-CTRL uses them: downsampling by 2×2 average pooling
instead of strided convolutions, and NO batch normalization and NO spectral
normalization ("just a simple and standard convolution layer without
constraint"), so every pre-activation is a bare ReLU. The layout is the
CIFAR one (3×3 stem, no max-pool; stages of width w, 2w, 4w, 8w, the last
three halving the resolution: 32 → 16 → 8 → 4), then ReLU, global average
pooling and a dense layer to nz. ``downsample_first=True`` also halves the
resolution in the first stage, as the paper does for STL-10 and Celeb-A.
Projection shortcuts (1×1 convolutions) take the pre-activated input, as in
He et al. 2016; pooling is placed where it costs least without changing the
function (before a 1×1 convolution, which commutes with it).

Decoder: the 32×32 ResNet generator of SNGAN (Miyato et al. 2018, table 4;
"De8" in CoA-CTRL): dense to 4×4×256, three up-sampling residual blocks
(BN, ReLU, nearest ×2, conv 3×3, BN, ReLU, conv 3×3; shortcut: ×2, conv 1×1),
BN, ReLU, conv 3×3 to the image channels, tanh; without spectral
normalization, with synchronized batch norm (global statistics under
``MirroredStrategy``). Larger images start from (H/8)×(W/8).

Weights use the Keras defaults (Glorot uniform, zero biases).
"""

from __future__ import annotations

import keras
from keras import layers

# depth → (block kind, blocks per stage)
RESNET_STAGES = {18: ("basic", (2, 2, 2, 2)), 34: ("basic", (3, 4, 6, 3)),
                 50: ("bottleneck", (3, 4, 6, 3)), 101: ("bottleneck", (3, 4, 23, 3))}
EXPANSION = {"basic": 1, "bottleneck": 4}


def preact_resnet_encoder(image_shape=(32, 32, 3), nz: int = 128, depth: int = 18,
                          width: int = 64, downsample_first: bool = False,
                          normalize: bool = False, name: str = "encoder") -> keras.Model:
    """Pre-activation ResNet encoder without normalization layers.

    Args:
      image_shape: (H, W, channels); H and W divisible by 8 (16 with
        ``downsample_first``).
      nz: feature dimension.
      depth: 18, 34, 50 or 101.
      width: channels of the stem and first stage (64 in the paper); shrink
        it for tests.
      downsample_first: halve the resolution in the first stage too.
      normalize: end with ``UnitNormalization`` (features on the sphere);
        False leaves normalization to the model.
      name: model name.

    Returns:
      A functional ``keras.Model`` [b, H, W, c] → [b, nz] (float32).
    """
    if depth not in RESNET_STAGES:
        raise ValueError(f"depth must be one of {sorted(RESNET_STAGES)}, got {depth}")
    _check_positive(nz=nz, width=width)
    kind, blocks = RESNET_STAGES[depth]
    factor = 16 if downsample_first else 8
    _check_image(image_shape, factor, "preact_resnet_encoder")
    x_in = keras.Input(tuple(image_shape), name="images")
    x = layers.Conv2D(width, 3, padding="same", name="stem")(x_in)
    for stage, num in enumerate(blocks):
        for i in range(num):
            down = i == 0 and (stage > 0 or downsample_first)
            block = _basic_block if kind == "basic" else _bottleneck_block
            x = block(x, width * 2 ** stage, down, f"stage{stage + 1}_block{i + 1}")
    x = layers.GlobalAveragePooling2D()(layers.ReLU()(x))
    out = layers.Dense(nz, dtype="float32", name="features" if not normalize else "dense")(x)
    if normalize:
        out = layers.UnitNormalization(axis=-1, dtype="float32", name="features")(out)
    return keras.Model(x_in, out, name=name)


def resnet18_encoder(image_shape=(32, 32, 3), nz: int = 128, width: int = 64,
                     downsample_first: bool = False, normalize: bool = False,
                     name: str = "encoder") -> keras.Model:
    """Pre-activation ResNet-18 encoder; see :func:`preact_resnet_encoder`."""
    return preact_resnet_encoder(image_shape, nz, 18, width, downsample_first, normalize, name)


def resnet50_encoder(image_shape=(32, 32, 3), nz: int = 128, width: int = 64,
                     downsample_first: bool = False, normalize: bool = False,
                     name: str = "encoder") -> keras.Model:
    """Pre-activation ResNet-50 encoder; see :func:`preact_resnet_encoder`."""
    return preact_resnet_encoder(image_shape, nz, 50, width, downsample_first, normalize, name)


def resnet101_encoder(image_shape=(32, 32, 3), nz: int = 128, width: int = 64,
                      downsample_first: bool = False, normalize: bool = False,
                      name: str = "encoder") -> keras.Model:
    """Pre-activation ResNet-101 encoder; see :func:`preact_resnet_encoder`."""
    return preact_resnet_encoder(image_shape, nz, 101, width, downsample_first, normalize, name)


def sngan_decoder(image_shape=(32, 32, 3), nz: int = 128, width: int = 256,
                  name: str = "generator") -> keras.Model:
    """SNGAN's ResNet generator ("De8"), without spectral normalization.

    Args:
      image_shape: (H, W, channels) of the images; H and W divisible by 8
        (32×32 is the SNGAN CIFAR-10 network).
      nz: feature (latent) dimension.
      width: channels of every residual block (256 in SNGAN).
      name: model name.

    Returns:
      A functional ``keras.Model`` [b, nz] → [b, H, W, c] (tanh, float32).
    """
    _check_positive(nz=nz, width=width)
    _check_image(image_shape, 8, "sngan_decoder")
    h, w = image_shape[0] // 8, image_shape[1] // 8
    z = keras.Input((nz,), name="latents")
    x = layers.Reshape((h, w, width))(layers.Dense(h * w * width)(z))
    for i in range(3):
        x = _up_block(x, width, f"up_block{i + 1}")
    x = layers.ReLU()(_batch_norm()(x))
    x = layers.Conv2D(image_shape[-1], 3, padding="same")(x)
    out = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(z, out, name=name)


def _basic_block(x, ch, down, name):
    """ReLU, conv 3×3, ReLU, conv 3×3 (, avg-pool) + shortcut."""
    h = layers.ReLU(name=f"{name}_preact")(x)
    r = layers.Conv2D(ch, 3, padding="same", name=f"{name}_conv1")(h)
    r = layers.Conv2D(ch, 3, padding="same", name=f"{name}_conv2")(layers.ReLU()(r))
    if down:
        r = layers.AveragePooling2D(2)(r)
    return layers.Add(name=f"{name}_add")([_shortcut(x, h, ch, down, name), r])


def _bottleneck_block(x, ch, down, name):
    """ReLU, conv 1×1, ReLU, conv 3×3, ReLU (, avg-pool), conv 1×1 (4ch) + shortcut."""
    out_ch = EXPANSION["bottleneck"] * ch
    h = layers.ReLU(name=f"{name}_preact")(x)
    r = layers.Conv2D(ch, 1, name=f"{name}_conv1")(h)
    r = layers.Conv2D(ch, 3, padding="same", name=f"{name}_conv2")(layers.ReLU()(r))
    r = layers.ReLU()(r)
    if down:  # pooling commutes with the 1×1 convolution that follows
        r = layers.AveragePooling2D(2)(r)
    r = layers.Conv2D(out_ch, 1, name=f"{name}_conv3")(r)
    return layers.Add(name=f"{name}_add")([_shortcut(x, h, out_ch, down, name), r])


def _shortcut(x, preact, out_ch, down, name):
    if x.shape[-1] == out_ch and not down:
        return x
    s = layers.AveragePooling2D(2)(preact) if down else preact
    return layers.Conv2D(out_ch, 1, name=f"{name}_shortcut")(s)


def _up_block(x, ch, name):
    r = layers.ReLU()(_batch_norm()(x))
    r = layers.UpSampling2D(2, interpolation="nearest")(r)
    r = layers.Conv2D(ch, 3, padding="same", name=f"{name}_conv1")(r)
    r = layers.ReLU()(_batch_norm()(r))
    r = layers.Conv2D(ch, 3, padding="same", name=f"{name}_conv2")(r)
    s = layers.UpSampling2D(2, interpolation="nearest")(x)
    s = layers.Conv2D(ch, 1, name=f"{name}_shortcut")(s)
    return layers.Add(name=f"{name}_add")([s, r])


def _batch_norm():
    """Synchronized batch norm (global statistics), PyTorch's momentum and ε."""
    return layers.BatchNormalization(synchronized=True, momentum=0.9, epsilon=1e-5)


def _check_image(image_shape, factor, fn):
    if (len(image_shape) != 3 or image_shape[0] % factor or image_shape[1] % factor
            or min(image_shape[:2]) < factor):
        raise ValueError(f"{fn} expects (H, W, C) with H and W multiples of {factor}, "
                         f"got {tuple(image_shape)}; resize the images "
                         "(--config.data.image_size=32)")


def _check_positive(**sizes):
    for key, value in sizes.items():
        if int(value) < 1:
            raise ValueError(f"{key} must be a positive integer, got {value}")
