"""A token sampler: ``generate_tokens`` kind (SeqGAN's LSTM policy).

``m.generate_tokens(num, seed)`` draws ``num`` sequences of the saved length
from the stateless seed ``[seed, 0]`` (the same tokens as
``SeqGANModel.generate`` and :meth:`GenerateTokensPart.preview`);
``m.log_prob(tokens)`` gives each sequence's log-likelihood in nats, and
fails (InvalidArgumentError naming the range) on a token outside the
vocabulary. An optional ``vocabulary`` (one string per id) is saved for
printing text (``tools/sample.py``).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen.export_parts.base import NUM, SEED, Part, seed_pair
from tfgen.networks.sequence import vocab_of
from tfgen.samplers import rollout


class GenerateTokensPart(Part):
    """Sequences of a step network (``tfgen.networks.sequence.lstm_generator``).

    Args:
      generator: the step network (token, h, c) → (logits, h, c).
      length: T, tokens per sequence.
      vocabulary: optional strings, one per token id (text data).
      separator: what joins the words of a sequence when printed ("" for
        characters).
    """

    kind = "generate_tokens"

    def __init__(self, generator, length: int, vocabulary=None, separator: str = " "):
        super().__init__()
        self._separator = str(separator)
        self.generator = generator
        self._length, self._vocab = int(length), vocab_of(generator)
        if vocabulary is not None and len(vocabulary) != self._vocab:
            raise ValueError(f"vocabulary has {len(vocabulary)} entries but the "
                             f"generator has {self._vocab} tokens")
        self.length = tf.Variable(self._length, trainable=False, dtype=tf.int32)
        self.vocab_size = tf.Variable(self._vocab, trainable=False, dtype=tf.int32)
        self.vocabulary = tf.Variable(list(vocabulary or []), trainable=False,
                                      dtype=tf.string, shape=[None])
        tokens = tf.TensorSpec([None, self._length], tf.int32, name="tokens")
        self.generate_tokens = tf.function(self._generate, input_signature=[NUM, SEED])
        self.log_prob = tf.function(self._log_prob, input_signature=[tokens])
        self.serve = tf.function(self._serve, input_signature=[tokens])
        self.serve_seeded = tf.function(self._serve_seeded, input_signature=[NUM, SEED])

    def _draw(self, num, pair):
        return rollout.generate(self.generator, num, self._length, pair)

    def _generate(self, num, seed):
        return self._draw(num, seed_pair(seed))

    def _log_prob(self, tokens):
        tokens = tf.ensure_shape(tf.cast(tokens, tf.int32), [None, self._length])
        checks = [tf.debugging.assert_non_negative(tokens, message="tokens must be >= 0"),
                  tf.debugging.assert_less(tokens, self._vocab, message=(
                      f"tokens must be below the vocabulary size {self._vocab}"))]
        with tf.control_dependencies(checks):
            tokens = tf.identity(tokens)
        return tf.reduce_sum(rollout.log_probs(self.generator, tokens), axis=1)

    def _serve(self, tokens):
        return {"log_prob": self.log_prob(tokens)}

    def _serve_seeded(self, num, seed):
        return {"tokens": self.generate_tokens(num, seed)}

    def preview(self, num: int, seed: int = 0) -> np.ndarray:
        """``generate_tokens(num, seed)`` run eagerly (int32 [num, T])."""
        pair = tf.constant([int(seed), 0], tf.int32)
        return rollout.compiled_generate(self.generator, tf.constant(int(num)),
                                         self._length, pair).numpy()

    def describe(self) -> dict:
        return {"kind": self.kind, "length": self._length, "vocab_size": self._vocab,
                "has_vocabulary": bool(int(tf.size(self.vocabulary))),
                "separator": self._separator}

    def signatures(self) -> dict:
        return {"": self.serve, "seeded": self.serve_seeded}


def as_text(tokens, vocabulary=None, separator: str = " ") -> list:
    """One line per sequence: its words joined by ``separator``, or its ids."""
    vocab = [v.decode() if isinstance(v, bytes) else str(v) for v in (vocabulary or [])]
    rows = np.asarray(tokens)
    if not vocab:
        return [" ".join(str(int(t)) for t in row) for row in rows]
    return [separator.join(vocab[int(t)] for t in row) for row in rows]
