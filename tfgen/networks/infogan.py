"""InfoGAN's MNIST networks: a generator, and D with a Q head on its trunk.

Chen et al. 2016, Appendix C.1 (Table 1, MNIST): D and Q share
Conv(64, 4×4, s2) lReLU → Conv(128, 4×4, s2) BN lReLU → FC 1024 BN lReLU;
D adds FC → 1 score; Q adds FC 128 BN lReLU → FC to the codes' parameters.
The generator is FC 1024 BN ReLU → FC 7·7·128 BN ReLU → ConvT(64, 4×4, s2)
BN ReLU → ConvT(1, 4×4, s2) (tanh here: tfgen's images are in [-1, 1]).
``width`` and ``hidden`` scale both down for a CPU budget.

The discriminator is one Keras model with three outputs — the score
[B, 1], the categorical code's logits [B, categorical] and the continuous
codes' Gaussian parameters [B, 2·continuous] (means, then log standard
deviations) — so the trunk is shared by construction. The code sizes are
fields of this network; ``tfgen.models.infogan`` reads them from its
outputs, and the generator's latent width (``net.latent_dim``) is noise +
categorical + continuous (74 = 62 + 10 + 2 in the paper).
"""

from __future__ import annotations

import keras
from keras import layers

from tfgen.networks.dcgan import _num_stages


def infogan_generator(latent_dim: int, image_shape, width: int = 64, hidden: int = 1024,
                      name: str = "generator") -> keras.Model:
    """[noise ‖ one-hot code ‖ continuous codes] → images in [-1, 1].

    Args:
      latent_dim: the whole input width (noise and codes).
      image_shape: (H, W, C); H = W with a 7×7 (or 8×8, 4×4) base map.
      width: channels of the last hidden convolution (the paper's 64).
      hidden: units of the first fully connected layer (the paper's 1024).
      name: model name.
    """
    h, w, c = image_shape
    stages = max(_num_stages(h), 1)
    h0, w0 = h // 2 ** stages, w // 2 ** stages
    ch0 = width * 2 ** (stages - 1)
    z = keras.Input((latent_dim,), name="latents")
    x = layers.Dense(hidden, use_bias=False)(z)
    x = layers.ReLU()(layers.BatchNormalization(synchronized=True)(x))
    x = layers.Dense(h0 * w0 * ch0, use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization(synchronized=True)(x))
    x = layers.Reshape((h0, w0, ch0))(x)
    for i in range(stages):
        last = i == stages - 1
        ch = c if last else ch0 // 2 ** (i + 1)
        x = layers.Conv2DTranspose(ch, 4, strides=2, padding="same", use_bias=last)(x)
        if not last:
            x = layers.ReLU()(layers.BatchNormalization(synchronized=True)(x))
    out = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(z, out, name=name)


def infogan_discriminator(image_shape, width: int = 64, hidden: int = 1024,
                          q_hidden: int = 128, categorical: int = 10,
                          continuous: int = 2,
                          name: str = "discriminator") -> keras.Model:
    """Images → [score, categorical logits, continuous (means, log stds)].

    Args:
      image_shape: (H, W, C) of the input images.
      width: channels of the first convolution; the second has twice that.
      hidden: units of the shared fully connected layer.
      q_hidden: units of Q's own hidden layer.
      categorical: K of the categorical code (≥ 2).
      continuous: number of continuous codes (≥ 0; 0 drops the third output).
      name: model name.
    """
    if categorical < 2:
        raise ValueError(f"categorical must be >= 2 (a K-way code), got {categorical}")
    if continuous < 0:
        raise ValueError(f"continuous must be >= 0, got {continuous}")
    stages = max(_num_stages(image_shape[0]), 1)
    x_in = keras.Input(tuple(image_shape), name="images")
    x = x_in
    for i in range(stages):
        x = layers.Conv2D(width * 2 ** i, 4, strides=2, padding="same", use_bias=i == 0)(x)
        if i > 0:
            x = layers.BatchNormalization(synchronized=True)(x)
        x = layers.LeakyReLU(0.1)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(hidden, use_bias=False)(x)
    trunk = layers.LeakyReLU(0.1)(layers.BatchNormalization(synchronized=True)(x))
    score = layers.Dense(1, dtype="float32", name="score")(trunk)
    q = layers.Dense(q_hidden, use_bias=False)(trunk)
    q = layers.LeakyReLU(0.1)(layers.BatchNormalization(synchronized=True)(q))
    logits = layers.Dense(categorical, dtype="float32", name="categorical")(q)
    outputs = [score, logits]
    if continuous:
        outputs.append(layers.Dense(2 * continuous, dtype="float32", name="continuous")(q))
    return keras.Model(x_in, outputs, name=name)
