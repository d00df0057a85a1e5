"""``text:PATH``: a user's text corpus as token sequences.

Each non-empty line of the UTF-8 file at PATH is one sequence, split into
words (on whitespace) or characters, cut to a length or padded at the end
with the padding token. The name picks the level and length::

    text:corpus.txt              # words, 20 tokens per sequence
    text:corpus.txt#chars        # characters, 20 per sequence
    text:corpus.txt#words,32     # words, 32 per sequence

The vocabulary is built from the corpus: id 0 is the padding token
``<pad>``, then every word (or character) by decreasing count, ties in
code-point order, so the same file always gives the same ids. A model
trained on it saves the vocabulary in its export (SeqGAN's
``generate_tokens`` part), and ``tools/sample.py`` prints words.
"""

from __future__ import annotations

import collections
import dataclasses
import os

import numpy as np

from tfgen.data.errors import DataError

PREFIX = "text:"
PAD = "<pad>"
LEVELS = ("words", "chars")
DEFAULT_LENGTH = 20


@dataclasses.dataclass(frozen=True)
class Corpus:
    path: str
    level: str
    length: int

    @property
    def separator(self) -> str:
        return " " if self.level == "words" else ""


def parse(name: str) -> Corpus:
    """The path, level and length of a ``text:PATH[#LEVEL[,LENGTH]]`` name."""
    spec = name[len(PREFIX):]
    path, _, options = spec.partition("#")
    level, length = "words", DEFAULT_LENGTH
    if options:
        parts = options.split(",")
        level = parts[0] or "words"
        try:
            length = int(parts[1]) if len(parts) > 1 else DEFAULT_LENGTH
        except ValueError:
            length = -1
        if level not in LEVELS or len(parts) > 2 or length < 1:
            raise DataError(f"{name}: the options after '#' are a level "
                            f"({' or '.join(LEVELS)}) and a length >= 1, e.g. "
                            f"text:{path}#chars,40")
    if not path:
        raise DataError(f"{name}: name a text file, text:PATH")
    return Corpus(path, level, length)


def _lines(corpus: Corpus) -> list:
    if not os.path.isfile(corpus.path):
        raise DataError(f"text corpus {corpus.path} not found")
    with open(corpus.path, encoding="utf-8") as f:
        lines = [ln.strip() for ln in f]
    split = str.split if corpus.level == "words" else list
    seqs = [split(ln) for ln in lines if ln]
    if not seqs:
        raise DataError(f"text corpus {corpus.path} is empty; it needs at least one "
                        "non-empty line (one sequence per line)")
    return seqs


def vocabulary(name: str) -> list:
    """The corpus's vocabulary, id order (``<pad>`` first)."""
    counts = collections.Counter(t for s in _lines(parse(name)) for t in s)
    return [PAD] + sorted(counts, key=lambda t: (-counts[t], t))


def load(name: str, split: str = "train"):
    """(tokens int32 [N, length], vocabulary size) of ``text:...``; one split."""
    if split != "train":
        raise DataError(f"{name} has no split {split!r}; a text corpus is one split: "
                        "use split='train'")
    corpus = parse(name)
    seqs = _lines(corpus)
    vocab = vocabulary(name)
    ids = {t: i for i, t in enumerate(vocab)}
    out = np.zeros((len(seqs), corpus.length), np.int32)  # padded with <pad> (0)
    for i, s in enumerate(seqs):
        row = [ids[t] for t in s[:corpus.length]]
        out[i, :len(row)] = row
    return out, len(vocab)
