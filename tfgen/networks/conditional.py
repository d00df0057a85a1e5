"""Class-conditional DCGAN networks: cGAN and AC-GAN.

* :func:`cgan_generator`: G(z, y). The label enters as a one-hot vector
  (Mirza & Osindero 2014, Sec. 4.1: y joined to z before the first hidden
  layer) or a learned embedding, concatenated to the latents.
* :func:`cgan_discriminator`: D(x, y), with the label joined to the image
  as K one-hot channels (``condition="concat"``), to the first feature map
  (``"feature"``, as Mirza & Osindero join y to a hidden layer), or by the
  projection discriminator of Miyato & Koyama 2018 (``"projection"``,
  D(x, y) = ψ(φ(x)) + ⟨e_y, φ(x)⟩, their eq. 3).
* :func:`acgan_discriminator`: D(x) → (real/fake score, K class logits) on
  one shared trunk (Odena et al. 2017, Sec. 3).

The trunks are those of ``tfgen.networks.dcgan`` (Radford et al. 2016).
Labels are int32 class ids [B]; images are in [-1, 1].
"""

from __future__ import annotations

import keras
from keras import layers

from tfgen.networks.dcgan import _num_stages, top_down

CONDITIONS = ("concat", "feature", "projection")


def _label_code(labels, num_classes: int, embed_dim: int, name: str):
    """One-hot labels (``embed_dim`` = 0) or a learned embedding [B, embed_dim]."""
    if embed_dim <= 0:
        return layers.CategoryEncoding(num_classes, output_mode="one_hot",
                                       name=f"{name}_one_hot")(labels)
    code = layers.Embedding(num_classes, embed_dim, name=f"{name}_embedding")(labels)
    return layers.Flatten()(code)


def _tile(code, height: int, width: int):
    """[B, C] → [B, H, W, C], the same vector at every position."""
    # Nearest-neighbour upsampling of a 1×1 map tiles it (no Lambda layer,
    # so the network serializes safely).
    x = layers.Reshape((1, 1, code.shape[-1]))(code)
    return layers.UpSampling2D((height, width), interpolation="nearest")(x)


def cgan_generator(latent_dim: int, image_shape, num_classes: int, width: int = 64,
                   embed_dim: int = 0, upsample: str = "transpose",
                   name: str = "generator") -> keras.Model:
    """G(z, y): the DCGAN generator on [z, code(y)].

    Args:
      latent_dim: width of z.
      image_shape: (H, W, C) of the images made.
      num_classes: K.
      width: channels of the last hidden stage (as ``dcgan_generator``).
      embed_dim: 0 joins y one-hot; > 0 a learned embedding of that width.
      upsample: "transpose" or "resize" (as ``dcgan_generator``).
      name: model name.

    Returns:
      A functional model [latents [B, d], labels int32 [B]] → images.
    """
    z = keras.Input((latent_dim,), name="latents")
    y = keras.Input((), dtype="int32", name="labels")
    x = layers.Concatenate()([z, _label_code(y, num_classes, embed_dim, "g_label")])
    out = top_down(x, image_shape, width, upsample)
    return keras.Model([z, y], out, name=name)


def _trunk(x, stages: int, width: int, start: int = 0):
    for i in range(start, stages):
        x = layers.Conv2D(width * 2 ** i, 4, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
    return x


def cgan_discriminator(image_shape, num_classes: int, width: int = 64,
                       condition: str = "concat", embed_dim: int = 0,
                       name: str = "discriminator") -> keras.Model:
    """D(x, y): the DCGAN discriminator with the label joined by ``condition``.

    Args:
      image_shape: (H, W, C).
      num_classes: K.
      width: channels of the first stage (as ``dcgan_discriminator``).
      condition: "concat" (code(y) as channels of the image), "feature"
        (as channels of the first feature map) or "projection"
        (Miyato & Koyama 2018: the inner product of a class embedding
        with the last features, added to the unconditional score).
      embed_dim: 0 codes y one-hot, > 0 by a learned embedding ("concat",
        "feature"); the projection's embedding always has the features'
        width.
      name: model name.

    Returns:
      A functional model [images, labels int32 [B]] → raw scores [B, 1].
    """
    if condition not in CONDITIONS:
        raise ValueError(f"condition must be one of {', '.join(CONDITIONS)}, "
                         f"got {condition!r}")
    stages = max(_num_stages(image_shape[0]), 1)
    x_in = keras.Input(tuple(image_shape), name="images")
    y = keras.Input((), dtype="int32", name="labels")
    h, w = image_shape[0], image_shape[1]
    if condition == "concat":
        code = _label_code(y, num_classes, embed_dim, "d_label")
        x = layers.Concatenate()([x_in, _tile(code, h, w)])
        x = _trunk(x, stages, width)
    elif condition == "feature":
        x = _trunk(x_in, 1, width)
        code = _label_code(y, num_classes, embed_dim, "d_label")
        x = layers.Concatenate()([x, _tile(code, x.shape[1], x.shape[2])])
        x = _trunk(x, stages, width, start=1)
    else:
        x = _trunk(x_in, stages, width)
    features = layers.Flatten()(x)
    out = layers.Dense(1, dtype="float32", name="unconditional_score")(features)
    if condition == "projection":
        e = layers.Flatten()(layers.Embedding(num_classes, features.shape[-1],
                                              name="d_projection")(y))
        proj = layers.Dot(axes=1)([e, features])
        out = layers.Add(dtype="float32", name="score")([out, proj])
    return keras.Model([x_in, y], out, name=name)


def acgan_discriminator(image_shape, num_classes: int, width: int = 64,
                        name: str = "discriminator") -> keras.Model:
    """D(x) → (P(S | x) logit, P(C | x) logits) on one trunk (Odena et al. 2017).

    Args:
      image_shape: (H, W, C).
      num_classes: K.
      width: channels of the first stage (as ``dcgan_discriminator``).
      name: model name.

    Returns:
      A functional model images → [scores [B, 1], class logits [B, K]].
    """
    stages = max(_num_stages(image_shape[0]), 1)
    x_in = keras.Input(tuple(image_shape), name="images")
    features = layers.Flatten()(_trunk(x_in, stages, width))
    score = layers.Dense(1, dtype="float32", name="score")(features)
    logits = layers.Dense(num_classes, dtype="float32", name="class_logits")(features)
    return keras.Model(x_in, [score, logits], name=name)
