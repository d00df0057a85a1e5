"""A built-in token-sequence set: samples of a fixed random Markov chain.

SeqGAN (Yu et al. 2017, Sec. 5 "Synthetic Data Experiments") trains on
sequences drawn from an "oracle", a randomly initialised LSTM whose
likelihood then scores generated sequences (NLL_oracle). ``markov_oracle``
follows that design with a smaller oracle whose likelihood is exact and
cheap: a first-order Markov chain over a vocabulary of ``VOCAB`` tokens,
initial distribution ~ Dirichlet(1) and each transition row ~
Dirichlet(``ALPHA``), drawn once from ``ORACLE_SEED``. Sequences have
``LENGTH`` tokens; the train split holds 10,000 of them (sample seed 1),
the test split 2,000 (seed 2). It is a toy stand-in, not the paper's
LSTM oracle, so its numbers are not comparable to the paper's.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from tfgen.data.errors import DataError

NAME = "markov_oracle"
VOCAB = 64
LENGTH = 20
ALPHA = 0.1
ORACLE_SEED = 2017
NUM = {"train": 10_000, "test": 2_000}
_SAMPLE_SEEDS = {"train": 1, "test": 2}


@dataclasses.dataclass(frozen=True, eq=False)
class MarkovOracle:
    """A first-order Markov chain over token ids 0..V-1."""
    initial: np.ndarray     # float64 [V]
    transition: np.ndarray  # float64 [V, V]; row i: P(next | i)
    length: int

    @property
    def vocab_size(self) -> int:
        return len(self.initial)

    def sample(self, num: int, seed: int) -> np.ndarray:
        """int32 [num, length] sequences, a pure function of ``seed``."""
        rng = np.random.default_rng(seed)
        u = rng.random((num, self.length))
        out = np.empty((num, self.length), np.int32)
        out[:, 0] = _draw(np.cumsum(self.initial)[None], u[:, 0])
        cdf = np.cumsum(self.transition, axis=1)
        for t in range(1, self.length):
            out[:, t] = _draw(cdf[out[:, t - 1]], u[:, t])
        return out

    def log_prob(self, tokens) -> np.ndarray:
        """Log-likelihood (nats) of each sequence of ``tokens`` [N, length]."""
        tokens = np.asarray(tokens)
        if tokens.ndim != 2 or tokens.shape[1] != self.length:
            raise DataError(f"oracle sequences have shape [N, {self.length}], got "
                            f"{tokens.shape}; generate {self.length} tokens each")
        if tokens.min() < 0 or tokens.max() >= self.vocab_size:
            raise DataError(f"token ids must lie in 0..{self.vocab_size - 1} (found "
                            f"{tokens.min()}..{tokens.max()})")
        with np.errstate(divide="ignore"):
            lp = np.log(self.initial[tokens[:, 0]])
            lp = lp + np.log(self.transition[tokens[:, :-1], tokens[:, 1:]]).sum(1)
        return lp


def _draw(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw per row: the first index whose cdf exceeds u."""
    idx = (cdf < u[:, None] * cdf[:, -1:]).sum(axis=1)
    return np.minimum(idx, cdf.shape[1] - 1)


@functools.lru_cache(maxsize=1)
def markov_oracle() -> MarkovOracle:
    """The oracle of ``markov_oracle`` (the same on every machine)."""
    rng = np.random.default_rng(ORACLE_SEED)
    initial = rng.dirichlet(np.ones(VOCAB))
    transition = rng.dirichlet(np.full(VOCAB, ALPHA), size=VOCAB)
    return MarkovOracle(initial, transition, LENGTH)


def load_markov(split: str):
    """(tokens int32 [N, LENGTH], vocabulary size) of a split."""
    if split not in NUM:
        raise DataError(f"{NAME} has no split {split!r}; valid: {', '.join(NUM)}")
    return markov_oracle().sample(NUM[split], _SAMPLE_SEEDS[split]), VOCAB
