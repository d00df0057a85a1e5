"""tfgen.layers.MinibatchStd (Karras et al. 2018, Sec. 3) and its place in
the DCGAN discriminator."""

import numpy as np
import pytest
import tensorflow as tf
import keras

from tfgen import networks
from tfgen.layers import MinibatchStd


def _hand(x, group):
    """The statistic by loops: example i is in group i mod (B / group)."""
    b = x.shape[0]
    n = b // group
    out = np.zeros(b)
    for j in range(n):
        members = x[j::n]  # the `group` examples whose index is j mod n
        std = np.sqrt(members.var(axis=0) + 1e-8)
        out[j::n] = std.mean()
    return out


def test_appended_map_is_the_mean_std_of_each_group():
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(8, 3, 3, 2)) * np.arange(1, 9)[:, None, None, None]).astype("float32")
    y = MinibatchStd(group_size=4)(x).numpy()
    assert y.shape == (8, 3, 3, 3)
    np.testing.assert_array_equal(y[..., :2], x)  # the features pass through
    want = _hand(x.astype("float64"), 4)
    for i in range(8):  # constant over positions, one value per example's group
        np.testing.assert_allclose(y[i, ..., 2], want[i], rtol=1e-5)
    # groups {0,2,4,6} and {1,3,5,7} differ, and their values are not the batch's
    assert abs(want[0] - want[1]) > 0.1
    assert not np.isclose(want[0], _hand(x.astype("float64"), 8)[0], rtol=1e-3)


def test_a_batch_smaller_than_the_group_is_one_group():
    x = np.random.default_rng(1).normal(size=(3, 2, 2, 1)).astype("float32")
    y = MinibatchStd(group_size=4)(x).numpy()
    np.testing.assert_allclose(y[..., 1], _hand(x.astype("float64"), 3)[0], rtol=1e-5)


def test_a_collapsed_group_reads_zero():
    x = np.repeat(np.random.default_rng(2).normal(size=(1, 4, 4, 3)), 4, axis=0)
    y = MinibatchStd(group_size=4)(x.astype("float32")).numpy()
    np.testing.assert_allclose(y[..., 3], 1e-4, rtol=1e-2)  # sqrt(epsilon)


def test_bad_group_size_and_indivisible_batch_are_named():
    with pytest.raises(ValueError, match="group_size must be >= 2"):
        MinibatchStd(group_size=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of group_size=4"):
        MinibatchStd(group_size=4)(np.zeros((6, 2, 2, 1), "float32"))
    with pytest.raises(ValueError, match="minibatch_std must be 0"):
        networks.dcgan.dcgan_discriminator((28, 28, 1), width=4, minibatch_std=1)


def test_a_critic_with_the_layer_sees_a_collapse_that_no_per_example_critic_can():
    """The paper's motivation, measured: fake groups are one real-distributed
    example repeated, so each fake example is distributed exactly as a real one
    and a per-example critic is at chance; with the layer, the critic tells
    them apart."""
    dim, group, batch = 8, 4, 64

    def batches(rng):
        real = rng.normal(size=(batch, 1, 1, dim))
        fake = np.repeat(rng.normal(size=(batch // group, 1, 1, dim)), group, axis=0)
        # fake row i = draw i // group; put it in the layer's group i mod (B/G)
        fake = fake.reshape(batch // group, group, 1, 1, dim).transpose(1, 0, 2, 3, 4)
        return real.astype("float32"), fake.reshape(batch, 1, 1, dim).astype("float32")

    def accuracy(with_layer):
        keras.utils.set_random_seed(0)
        inp = keras.Input((1, 1, dim))
        h = MinibatchStd(group)(inp) if with_layer else inp
        h = keras.layers.Flatten()(h)
        h = keras.layers.Dense(32, activation="relu")(h)
        critic = keras.Model(inp, keras.layers.Dense(1)(h))
        opt = keras.optimizers.Adam(1e-2)
        rng = np.random.default_rng(0)
        for _ in range(150):
            real, fake = batches(rng)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.nn.softplus(-critic(real))) + \
                    tf.reduce_mean(tf.nn.softplus(critic(fake)))
            opt.apply_gradients(zip(tape.gradient(loss, critic.trainable_variables),
                                    critic.trainable_variables))
        hits = []
        for _ in range(20):
            real, fake = batches(rng)
            hits += [critic(real).numpy() > 0, critic(fake).numpy() < 0]
        return np.concatenate(hits).mean()

    assert accuracy(with_layer=True) > 0.95
    assert accuracy(with_layer=False) < 0.6


def test_discriminator_field_builds_saves_and_reloads(tmp_path):
    assert networks.entry("dcgan_discriminator")["minibatch_std"] == 0
    critic = networks.dcgan.dcgan_discriminator((28, 28, 1), width=4, minibatch_std=4)
    assert any(isinstance(layer, MinibatchStd) for layer in critic.layers)
    x = np.random.default_rng(3).normal(size=(8, 28, 28, 1)).astype("float32")
    path = tmp_path / "critic.keras"
    critic.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(again(x).numpy(), critic(x).numpy(), rtol=1e-6)
    plain = networks.dcgan.dcgan_discriminator((28, 28, 1), width=4)
    # one more input to the score: 7 * 7 positions of the appended map
    assert critic.count_params() - plain.count_params() == 7 * 7
