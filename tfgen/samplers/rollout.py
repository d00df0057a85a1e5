"""Sampling token sequences from an LSTM policy, and SeqGAN's Monte Carlo rollouts.

A policy is a step network (``tfgen.networks.sequence.lstm_generator``):
(token, h, c) → (logits, h, c), fed the start token ``V`` first. Yu et al.
2017 (SeqGAN, eq. 4) estimate the value of a prefix Y_{1:t} by N Monte
Carlo searches: complete the prefix N times with a roll-out policy G_β and
average the discriminator's reward of the complete sequences.

:func:`complete` is the one sampler: every row keeps its given tokens at
positions below its prefix length and samples the rest from the policy,
one position per iteration of a ``tf.while_loop`` (so it runs inside a
Keras ``train_step``, where autograph is off, and under ``tf.function``).
:func:`generate` is a complete with empty prefixes, :func:`rollouts`
batches every prefix length 1..T-1 of every sequence, N times, into one
call. Tokens are drawn by inverting the cumulative distribution at one
uniform per row from ``tfgen.distribute.replica_uniform`` at stateless seed
``fold_in(seed, p)``:
the global batch's noise is drawn and sliced, so N replicas draw exactly
the tokens one device draws for the same global batch. The rows of a
rollout batch are ordered sequence-major for the same reason.
:data:`compiled_rollouts` and :data:`compiled_generate` are the
``tf.function`` forms for eager callers.
"""

from __future__ import annotations

import tensorflow as tf

from tfgen import distribute
from tfgen.networks.sequence import state_width, vocab_of

def _zeros(net, batch):
    width = state_width(net)
    return tf.zeros(tf.stack([batch, width])), tf.zeros(tf.stack([batch, width]))


def _start(net, batch):
    return tf.fill(tf.reshape(batch, [1]), tf.constant(vocab_of(net), tf.int32))


def log_probs(net, tokens, training: bool = False) -> tf.Tensor:
    """log G(y_t | y_{1:t-1}) of each position, float32 [B, T] (differentiable).

    Args:
      net: the step network.
      tokens: int32 [B, T] with a static T.
      training: passed to the network.
    """
    tokens = tf.cast(tokens, tf.int32)
    length = tokens.shape[1]
    if length is None:
        raise ValueError("log_probs needs sequences of a static length")
    batch = tf.shape(tokens)[0]
    h, c = _zeros(net, batch)
    prev = _start(net, batch)
    out = []
    for t in range(length):  # T is small (20): unrolled, so gradients are plain
        logits, h, c = net([prev, h, c], training=training)
        lp = tf.nn.log_softmax(tf.cast(logits, tf.float32))
        out.append(tf.gather(lp, tokens[:, t], axis=1, batch_dims=1))
        prev = tokens[:, t]
    return tf.stack(out, axis=1)


def _inverse_cdf(logits, u):
    """One token per row: the first id whose cumulative probability exceeds u."""
    cdf = tf.cumsum(tf.nn.softmax(logits), axis=1)
    drawn = tf.reduce_sum(tf.cast(cdf < u[:, None] * cdf[:, -1:], tf.int32), axis=1)
    return tf.minimum(drawn, tf.shape(logits)[1] - 1)


def complete(net, prefix, prefix_len, seed) -> tf.Tensor:
    """Each row of ``prefix`` kept below its ``prefix_len``, sampled after.

    Args:
      net: the step network (the policy).
      prefix: int32 [M, T]; entries at positions ≥ the row's prefix length
        are ignored.
      prefix_len: int32 [M], each in 0..T.
      seed: stateless seed, int32 [2]; position p draws from fold_in(seed, p).

    Returns:
      int32 [M, T]; no gradient flows through it.
    """
    prefix = tf.cast(prefix, tf.int32)
    prefix_len = tf.cast(prefix_len, tf.int32)
    m, length = tf.shape(prefix)[0], tf.shape(prefix)[1]
    h, c = _zeros(net, m)
    tokens = tf.TensorArray(tf.int32, size=length)

    def body(p, prev, h, c, tokens):
        logits, h, c = net([prev, h, c], training=False)
        u = distribute.replica_uniform(
            tf.reshape(m, [1]), tf.random.experimental.stateless_fold_in(seed, p))
        drawn = _inverse_cdf(tf.cast(logits, tf.float32), u)
        token = tf.where(p < prefix_len, tf.gather(prefix, p, axis=1), drawn)
        return p + 1, token, h, c, tokens.write(p, token)

    _, _, _, _, tokens = tf.while_loop(
        lambda p, *_: p < length, body,
        (tf.constant(0), _start(net, m), h, c, tokens))
    out = tf.transpose(tokens.stack())
    out.set_shape(prefix.shape)
    return tf.stop_gradient(out)


def generate(net, num, length: int, seed) -> tf.Tensor:
    """``num`` sequences of ``length`` tokens sampled from the policy, int32."""
    prefix = tf.zeros(tf.stack([num, length]), tf.int32)
    return complete(net, prefix, tf.zeros(tf.reshape(num, [1]), tf.int32), seed)


def rollouts(net, sequences, num_rollouts: int, seed) -> tf.Tensor:
    """N completions of every proper prefix Y_{1:t}, t = 1..T-1.

    Args:
      net: the roll-out policy G_β.
      sequences: int32 [B, T] (static T).
      num_rollouts: N.
      seed: stateless seed, int32 [2].

    Returns:
      int32 [B, N, T-1, T]: ``out[b, n, t-1]`` starts with ``sequences[b, :t]``.
    """
    sequences = tf.cast(sequences, tf.int32)
    length = sequences.shape[1]
    batch = tf.shape(sequences)[0]
    n = int(num_rollouts)
    shape = tf.stack([batch, n, length - 1, length])
    prefix = tf.broadcast_to(sequences[:, None, None, :], shape)
    lens = tf.broadcast_to(tf.range(1, length, dtype=tf.int32)[None, None, :],
                           shape[:3])
    out = complete(net, tf.reshape(prefix, [-1, length]), tf.reshape(lens, [-1]), seed)
    return tf.reshape(out, shape)


compiled_generate = tf.function(generate)
compiled_rollouts = tf.function(rollouts)
