"""dcgan_discriminator(hidden=N): the fully connected layer of Lucic et
al. 2018's (InfoGAN's) discriminator, without batch norm."""

import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tfgen import networks
from tfgen.layers import SpectralNorm


def test_off_by_default_and_the_layer_has_the_hand_counted_weights():
    plain = networks.dcgan.dcgan_discriminator((28, 28, 1), width=4)
    wide = networks.dcgan.dcgan_discriminator((28, 28, 1), width=4, hidden=16)
    assert networks.entry("dcgan_discriminator")["hidden"] == 0
    assert not any(isinstance(l, layers.Dense) and l.units == 16 for l in plain.layers)
    # 28 → 14 → 7 with 4 then 8 channels: 7·7·8 = 392 features.
    # Plain: score 392 + 1. Wide: 392·16 + 16, then score 16 + 1.
    convs = plain.count_params() - (392 + 1)
    assert wide.count_params() == convs + 392 * 16 + 16 + 16 + 1
    assert wide(np.zeros((3, 28, 28, 1), "float32")).shape == (3, 1)


def test_each_score_depends_on_its_own_example_only():
    # No batch norm in the layer: the gradient of example 0's score with
    # respect to example 1 is exactly zero (the gradient penalty needs this).
    d = networks.dcgan.dcgan_discriminator((8, 8, 1), width=4, hidden=8)
    x = tf.constant(np.random.default_rng(0).normal(size=(2, 8, 8, 1)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        s0 = d(x, training=True)[0, 0]
    g = tape.gradient(s0, x).numpy()
    assert np.abs(g[0]).max() > 0
    assert np.abs(g[1]).max() == 0


def test_spectral_norm_wraps_the_layer_and_bad_sizes_are_named():
    d = networks.dcgan.dcgan_discriminator((8, 8, 1), width=4, hidden=8, spectral_norm=True)
    wrapped = [l.layer for l in d.layers if isinstance(l, SpectralNorm)]
    assert [type(l).__name__ for l in wrapped] == ["Conv2D", "Dense", "Dense"]
    assert wrapped[1].units == 8
    with pytest.raises(ValueError, match="hidden must be 0"):
        networks.dcgan.dcgan_discriminator((8, 8, 1), hidden=-1)
