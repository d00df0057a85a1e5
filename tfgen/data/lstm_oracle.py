"""SeqGAN's synthetic data: sequences of a random LSTM "oracle", and NLL-oracle.

Yu et al. 2017, Sec. 5 ("Synthetic Data Experiments"): an LSTM whose
parameters are drawn from N(0, 1) plays the real world; 10,000 of its
sequences of length 20 are the training data, and a generator is scored by
NLL-oracle, the oracle's negative log-likelihood of the generator's
sequences (here per token, in nats, as the authors' code averages it).

The oracle here is our own: every parameter (embedding, LSTM kernels and
biases, output layer) is drawn from N(0, 1) by NumPy's ``default_rng`` from
a fixed seed, so it is the same on every machine; :meth:`LSTMOracle.save`
writes it to an .npz and :func:`load_oracle` reads it back. Token id V is
the start token (its own embedding row); ids 0..V-1 are the vocabulary.

Two named data sets (``tfgen.data.load_tokens``):

* ``lstm_oracle_paper``: the paper's sizes, V = 5,000, T = 20, embedding
  and hidden 32, 10,000 training sequences;
* ``lstm_oracle``: the same with V = 500, a scale at which 2 CPU cores run
  SeqGAN's rollouts in minutes (see docs/benchmarks/seqgan.md).

Each has a ``test`` split of 2,000 further sequences.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from tfgen.data.errors import DataError

ORACLE_SEED = 88
NUM = {"train": 10_000, "test": 2_000}
_SAMPLE_SEEDS = {"train": 1, "test": 2}
# name → (vocabulary, length, embedding, hidden)
SIZES = {"lstm_oracle": (500, 20, 32, 32), "lstm_oracle_paper": (5000, 20, 32, 32)}
NAMES = tuple(SIZES)


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMOracle:
    """An LSTM language model with fixed parameters (float64 NumPy arrays)."""
    embedding: np.ndarray  # [V + 1, E]; row V embeds the start token
    kernel: np.ndarray     # [E + H, 4H]; gates i, f, g, o
    bias: np.ndarray       # [4H]
    out_kernel: np.ndarray  # [H, V]
    out_bias: np.ndarray   # [V]
    length: int

    @property
    def vocab_size(self) -> int:
        return self.out_kernel.shape[1]

    @property
    def hidden(self) -> int:
        return self.out_kernel.shape[0]

    def _step(self, token, h, c):
        z = np.concatenate([self.embedding[token], h], axis=1) @ self.kernel + self.bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        logits = h @ self.out_kernel + self.out_bias
        logits = logits - logits.max(axis=1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return logp, h, c

    def _start(self, n):
        zeros = np.zeros((n, self.hidden))
        return np.full(n, self.vocab_size), zeros, zeros.copy()

    def sample(self, num: int, seed: int) -> np.ndarray:
        """int32 [num, length] sequences, a pure function of ``seed``."""
        rng = np.random.default_rng(seed)
        token, h, c = self._start(num)
        out = np.empty((num, self.length), np.int32)
        for t in range(self.length):
            logp, h, c = self._step(token, h, c)
            cdf = np.cumsum(np.exp(logp), axis=1)
            u = rng.random(num)[:, None] * cdf[:, -1:]
            token = np.minimum((cdf < u).sum(axis=1), self.vocab_size - 1)
            out[:, t] = token
        return out

    def _walk(self, tokens):
        tokens = self.check(tokens)
        token, h, c = self._start(len(tokens))
        for t in range(self.length):
            logp, h, c = self._step(token, h, c)
            yield logp, tokens[:, t]
            token = tokens[:, t]

    def check(self, tokens) -> np.ndarray:
        """``tokens`` as int64 [N, length], or a one-line DataError."""
        tokens = np.asarray(tokens)
        if tokens.ndim != 2 or tokens.shape[1] != self.length:
            raise DataError(f"oracle sequences have shape [N, {self.length}], got "
                            f"{tokens.shape}; generate {self.length} tokens each")
        if tokens.size and (tokens.min() < 0 or tokens.max() >= self.vocab_size):
            raise DataError(f"token ids must lie in 0..{self.vocab_size - 1} (found "
                            f"{tokens.min()}..{tokens.max()})")
        return tokens.astype(np.int64)

    def log_prob(self, tokens) -> np.ndarray:
        """Log-likelihood (nats) of each sequence of ``tokens`` [N, length]."""
        total = 0.0
        for logp, tok in self._walk(tokens):
            total = total + logp[np.arange(len(tok)), tok]
        return np.asarray(total, np.float64)

    def nll(self, tokens) -> float:
        """NLL-oracle: the mean per-token negative log-likelihood (nats)."""
        return float(-np.mean(self.log_prob(tokens)) / self.length)

    def entropy(self, num: int = 2000, seed: int = 12345) -> float:
        """Per-token entropy rate estimate: the mean over sampled paths of the
        conditional entropies H(G(· | y_{<t})) (lower variance than NLL of samples)."""
        total = 0.0
        for logp, _ in self._walk(self.sample(num, seed)):
            total = total - (np.exp(logp) * logp).sum(axis=1)
        return float(np.mean(total) / self.length)

    def save(self, path: str) -> None:
        np.savez(path, embedding=self.embedding, kernel=self.kernel, bias=self.bias,
                 out_kernel=self.out_kernel, out_bias=self.out_bias,
                 length=np.int64(self.length))


def make_oracle(vocab_size: int, length: int, embed_dim: int = 32, hidden: int = 32,
                seed: int = ORACLE_SEED) -> LSTMOracle:
    """An oracle with every parameter drawn from N(0, 1) (the paper's choice)."""
    if vocab_size < 2 or length < 1:
        raise DataError(f"an oracle needs a vocabulary of >= 2 tokens and length >= 1, "
                        f"got {vocab_size} and {length}")
    rng = np.random.default_rng(seed)
    return LSTMOracle(rng.standard_normal((vocab_size + 1, embed_dim)),
                      rng.standard_normal((embed_dim + hidden, 4 * hidden)),
                      rng.standard_normal(4 * hidden),
                      rng.standard_normal((hidden, vocab_size)),
                      rng.standard_normal(vocab_size), int(length))


def load_oracle(path: str) -> LSTMOracle:
    """An oracle written by :meth:`LSTMOracle.save`."""
    with np.load(path) as f:
        return LSTMOracle(f["embedding"], f["kernel"], f["bias"], f["out_kernel"],
                          f["out_bias"], int(f["length"]))


@functools.lru_cache(maxsize=2)
def oracle(name: str = "lstm_oracle") -> LSTMOracle:
    """The oracle of a named set (the same on every machine)."""
    if name not in SIZES:
        raise DataError(f"unknown LSTM oracle {name!r}; valid: {', '.join(NAMES)}")
    v, t, e, h = SIZES[name]
    return make_oracle(v, t, e, h)


def load(name: str, split: str):
    """(tokens int32 [N, T], vocabulary size) of a split of a named oracle set."""
    if split not in NUM:
        raise DataError(f"{name} has no split {split!r}; valid: {', '.join(NUM)}")
    o = oracle(name)
    return o.sample(NUM[split], _SAMPLE_SEEDS[split]), o.vocab_size
