"""The rollout sampler: kept prefixes, draws from the policy, seeds, log-likelihoods."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen.networks.sequence import lstm_generator
from tfgen.samplers import rollout

V, T = 6, 5


def fixed_policy(probs, seed=0):
    """A step network whose next-token distribution is ``probs`` whatever the history."""
    tf.keras.utils.set_random_seed(seed)
    net = lstm_generator(len(probs), T, embed_dim=4, hidden=3)
    kernel, bias = net.get_layer("logits").weights
    kernel.assign(tf.zeros_like(kernel))
    probs = np.asarray(probs, np.float32)
    bias.assign(np.where(probs > 0, np.log(np.maximum(probs, 1e-30)), -1e9))
    return net


def test_completions_keep_the_prefix_and_sample_the_rest():
    net = lstm_generator(V, T, embed_dim=4, hidden=3)
    seqs = tf.constant(np.random.default_rng(0).integers(0, V, (3, T)), tf.int32)
    out = rollout.compiled_rollouts(net, seqs, 4, tf.constant([1, 2])).numpy()
    assert out.shape == (3, 4, T - 1, T)
    assert out.min() >= 0 and out.max() < V
    for t in range(1, T):
        np.testing.assert_array_equal(out[:, :, t - 1, :t],
                                      np.broadcast_to(seqs.numpy()[:, None, :t], (3, 4, t)))
    # The sampled suffixes vary between rollouts of one prefix.
    assert len({tuple(r) for r in out[0, :, 0]}) > 1


def test_sampled_tokens_follow_the_policy():
    probs = [0.5, 0.25, 0.125, 0.0625, 0.0625, 0.0]
    net = fixed_policy(probs)
    prefix = tf.fill([4000, T], 5)  # a token the policy never draws
    lens = tf.constant(np.tile([0, 2], 2000), tf.int32)
    out = rollout.complete(net, prefix, lens, tf.constant([3, 4])).numpy()
    np.testing.assert_array_equal(out[1::2, :2], 5)
    drawn = np.concatenate([out[0::2].ravel(), out[1::2, 2:].ravel()])
    assert not np.any(drawn == 5)
    freq = np.bincount(drawn, minlength=V) / drawn.size
    # 16,000 draws: the standard error of each frequency is below 0.004.
    np.testing.assert_allclose(freq, probs, atol=0.015)


def test_a_seed_fixes_the_draws():
    net = lstm_generator(V, T, embed_dim=4, hidden=3)
    a = rollout.compiled_generate(net, tf.constant(50), T, tf.constant([7, 0])).numpy()
    b = rollout.compiled_generate(net, tf.constant(50), T, tf.constant([7, 0])).numpy()
    c = rollout.compiled_generate(net, tf.constant(50), T, tf.constant([8, 0])).numpy()
    np.testing.assert_array_equal(a, b)
    assert np.any(a != c)
    # Eager and compiled agree.
    np.testing.assert_array_equal(a, rollout.generate(net, 50, T, tf.constant([7, 0])))


def test_log_probs_of_a_fixed_policy_are_its_log_probabilities():
    probs = np.array([0.4, 0.3, 0.1, 0.1, 0.05, 0.05])
    net = fixed_policy(probs)
    tokens = np.random.default_rng(1).integers(0, V, (7, T)).astype(np.int32)
    np.testing.assert_allclose(rollout.log_probs(net, tf.constant(tokens)).numpy(),
                               np.log(probs)[tokens], atol=1e-5)


def test_log_probs_need_a_static_length():
    net = lstm_generator(V, T, embed_dim=4, hidden=3)
    fn = tf.function(lambda x: rollout.log_probs(net, x),
                     input_signature=[tf.TensorSpec([None, None], tf.int32)])
    with pytest.raises(ValueError, match="static length"):
        fn.get_concrete_function()
