"""Networks over token sequences: SeqGAN's LSTM generator and CNN discriminator.

Yu et al. 2017, "SeqGAN: Sequence Generative Adversarial Nets with Policy
Gradient" (AAAI), Sec. 4 and Appendix: the generator is an embedding, an
LSTM and a softmax over the vocabulary; the discriminator is a CNN over the
embedded sequence with several filter widths, max-over-time pooling, a
highway layer and dropout before a sigmoid unit.

Both take ``(vocab_size, length)`` (the ``sequence_generator`` and
``sequence_critic`` roles of :data:`tfgen.networks.NETWORKS`).
"""

from __future__ import annotations

import keras

# The paper's discriminator (Appendix, Table 6 of the synthetic experiment):
# widths 1..10, 15, 20 with 100, 200, 200, 200, 200, 100 x 5, 160, 160 filters.
PAPER_WIDTHS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20)
PAPER_FILTERS = (100, 200, 200, 200, 200, 100, 100, 100, 100, 100, 160, 160)


def lstm_generator(vocab_size: int, length: int, embed_dim: int = 32,
                   hidden: int = 32, name: str = "generator") -> keras.Model:
    """One step of the LSTM policy: (token, h, c) → (logits, h, c).

    Token id ``vocab_size`` is the start token (its own embedding row), fed
    at the first position; the samplers in ``tfgen.samplers.rollout`` run
    the step over a sequence. The sequence length is the sampler's; it is
    taken here only for the common calling convention.

    Args:
      vocab_size: V; logits are over ids 0..V-1.
      length: T (unused by the step itself).
      embed_dim, hidden: embedding and LSTM widths (32 and 32 in the paper).
    """
    del length
    token = keras.Input((), dtype="int32", name="token")
    h = keras.Input((hidden,), name="h")
    c = keras.Input((hidden,), name="c")
    e = keras.layers.Embedding(vocab_size + 1, embed_dim, name="embedding")(token)
    out, (h2, c2) = keras.layers.LSTMCell(hidden, name="lstm")(e, [h, c])
    logits = keras.layers.Dense(vocab_size, name="logits")(out)
    return keras.Model([token, h, c], [logits, h2, c2], name=name)


class Highway(keras.layers.Layer):
    """y = t ⊙ relu(W x) + (1 − t) ⊙ x, t = σ(W_t x + b_t) (Srivastava et al. 2015)."""

    def __init__(self, gate_bias: float = -2.0, **kwargs):
        super().__init__(**kwargs)
        self.gate_bias = float(gate_bias)

    def build(self, input_shape):
        d = int(input_shape[-1])
        self.transform = keras.layers.Dense(d, activation="relu")
        self.gate = keras.layers.Dense(
            d, activation="sigmoid",
            bias_initializer=keras.initializers.Constant(self.gate_bias))
        self.transform.build(input_shape)
        self.gate.build(input_shape)

    def call(self, x):
        t = self.gate(x)
        return t * self.transform(x) + (1.0 - t) * x

    def get_config(self):
        return dict(super().get_config(), gate_bias=self.gate_bias)


keras.saving.register_keras_serializable(package="tfgen")(Highway)


def cnn_discriminator(vocab_size: int, length: int, embed_dim: int = 64,
                      widths: tuple = (2, 3, 4, 5), filters: tuple = (32, 32, 32, 32),
                      dropout: float = 0.25, name: str = "discriminator") -> keras.Model:
    """Tokens int32 [B, T] → one logit of "real" each, [B, 1].

    Each width w gets ``filters`` 1-D convolutions (ReLU) over the embedded
    sequence, max-pooled over time; the concatenated features pass a
    highway layer and dropout (the paper drops 25%: keep probability 0.75).
    The defaults are a scaled-down version of :data:`PAPER_WIDTHS` /
    :data:`PAPER_FILTERS`; widths longer than the sequence are refused.
    """
    widths, filters = tuple(int(w) for w in widths), tuple(int(f) for f in filters)
    if len(widths) != len(filters) or not widths:
        raise ValueError(f"cnn_discriminator needs one filter count per width, got "
                         f"widths={widths} and filters={filters}")
    if max(widths) > length or min(widths) < 1:
        raise ValueError(f"filter widths must lie in 1..{length} (the sequence "
                         f"length), got {widths}")
    tokens = keras.Input((length,), dtype="int32", name="tokens")
    e = keras.layers.Embedding(vocab_size, embed_dim, name="embedding")(tokens)
    pooled = [keras.layers.GlobalMaxPooling1D()(
        keras.layers.Conv1D(f, w, activation="relu", name=f"conv{w}")(e))
        for w, f in zip(widths, filters)]
    h = pooled[0] if len(pooled) == 1 else keras.layers.Concatenate()(pooled)
    h = Highway(name="highway")(h)
    h = keras.layers.Dropout(dropout)(h)
    return keras.Model(tokens, keras.layers.Dense(1, name="logit")(h), name=name)


def state_width(generator: keras.Model) -> int:
    """H, the LSTM state width of a step network."""
    return int(generator.input_shape[1][-1])


def vocab_of(generator: keras.Model) -> int:
    """V, the number of logits of a step network."""
    return int(generator.output_shape[0][-1])
