"""Inception score / classifier score (Salimans et al. 2016).

When to use: a quick reference-free check that samples are both
recognisable (confident p(y|x)) and varied (broad p(y)); it needs no real
data. It ignores within-class diversity and the real distribution, so
report it next to FID/KID, never alone; and it is comparable across papers
only with the same classifier, the same number of splits and samples.
Called "Inception score" only when the classifier is Inception on ImageNet;
with the project's classifiers it is the "classifier score".

IS = exp(E_x KL(p(y|x) || p(y))), p(y) the mean prediction of the split,
computed on ``num_splits`` consecutive splits; reported as mean and std
over splits, as in the paper's code.
"""

from __future__ import annotations

import numpy as np


def _log_probs(values, from_logits):
    v = np.asarray(values, np.float64)
    if v.ndim != 2:
        raise ValueError(f"expected class probabilities or logits [N, K], got shape {v.shape}")
    looks_like_probs = bool(np.all(v >= 0) and np.allclose(v.sum(1), 1.0, atol=1e-4))
    if from_logits is None:
        from_logits = not looks_like_probs
    if from_logits:
        v = v - v.max(1, keepdims=True)
        return v - np.log(np.exp(v).sum(1, keepdims=True))
    if not looks_like_probs:
        raise ValueError("rows are not probability vectors (non-negative, summing to 1); "
                         "pass from_logits=True for logits")
    p = v / v.sum(1, keepdims=True)
    with np.errstate(divide="ignore"):
        return np.log(p)


def classifier_score(probs_or_logits, num_splits: int = 10, from_logits: bool | None = None):
    """Inception/classifier score: mean and std over splits.

    Args:
      probs_or_logits: [N, K] class probabilities p(y|x) or logits.
      num_splits: number of consecutive splits (N >= num_splits).
      from_logits: True for logits, False for probabilities; None (default)
        treats rows that are non-negative and sum to 1 (to 1e-4) as
        probabilities and anything else as logits.

    Returns:
      (mean, std) as Python floats. Golden values: uniform predictions give
      1; confident predictions spread evenly over K classes give K.
    """
    log_p = _log_probs(probs_or_logits, from_logits)
    if not 1 <= num_splits <= len(log_p):
        raise ValueError(f"num_splits must be in [1, N={len(log_p)}], got {num_splits}")
    scores = []
    for part in np.array_split(log_p, num_splits):
        p = np.exp(part)
        with np.errstate(divide="ignore"):
            log_py = np.log(p.mean(0))
        # 0 · log 0 = 0: classes a sample gives no mass add nothing.
        with np.errstate(invalid="ignore"):
            terms = np.where(p > 0, p * (part - log_py), 0.0)
        scores.append(np.exp(terms.sum(1).mean()))
    return float(np.mean(scores)), float(np.std(scores))


def class_balance(fake_probs, real_probs, confident: float = 0.9) -> dict:
    """How often each class is drawn, against the real data, under one classifier.

    A generator can score well on FID while drawing easy classes too often
    and hard ones too rarely; this reports that directly.

    Args:
      fake_probs, real_probs: [N, K] class probabilities of samples and of real
        examples (the same classifier on both; argmax is the class).
      confident: the probability above which a sample counts as confidently
        classified.

    Returns:
      ``fake`` and ``real``: class frequencies (lists of K floats);
      ``total_variation``: half the L1 distance between them (0 = the same
      proportions, 1 = disjoint classes); ``most_over`` / ``most_under``: the
      class drawn most too often / too rarely, with its ratio fake/real
      (among the classes the real data has);
      ``confident_fraction``: share of samples above ``confident``.
    """
    fake, real = np.asarray(fake_probs, np.float64), np.asarray(real_probs, np.float64)
    if fake.ndim != 2 or real.ndim != 2 or fake.shape[1] != real.shape[1]:
        raise ValueError(f"expected [N, K] probabilities with the same K, got shapes "
                         f"{fake.shape} and {real.shape}")
    k = fake.shape[1]
    f = np.bincount(fake.argmax(1), minlength=k) / len(fake)
    r = np.bincount(real.argmax(1), minlength=k) / len(real)
    # Ratios over the classes the real data has (a ratio to 0 has no JSON value).
    seen = np.flatnonzero(r > 0)
    ratio = f[seen] / r[seen]
    return {"fake": [float(v) for v in f], "real": [float(v) for v in r],
            "total_variation": float(0.5 * np.abs(f - r).sum()),
            "most_over": {"class": int(seen[ratio.argmax()]), "ratio": float(ratio.max())},
            "most_under": {"class": int(seen[ratio.argmin()]), "ratio": float(ratio.min())},
            "confident_fraction": float((fake.max(1) > confident).mean())}
