"""Inception score / classifier score (Salimans et al. 2016).

exp(E_x KL(p(y|x) || p(y))), computed on splits of the samples; named
"classifier score" when the classifier is not Inception.
"""

from __future__ import annotations

import numpy as np


def classifier_score(probs, num_splits: int = 10):
    """(mean, std) over ``num_splits`` splits of class probabilities [N, K]."""
    p = np.asarray(probs, np.float64)
    scores = []
    for part in np.array_split(p, num_splits):
        py = part.mean(0, keepdims=True)
        kl = np.sum(part * (np.log(part + 1e-12) - np.log(py + 1e-12)), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))
