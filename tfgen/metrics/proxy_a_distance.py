"""Proxy A-distance: how separable two domains' features are.

Ben-David et al. 2007/2010 bound the target error by the source error plus
the H-divergence of the domains (the GAN tutorial's DANN discussion);
Ganin et al. 2016 (Sec. 5.2.3) estimate it as the proxy A-distance

    d_A = 2 (1 − 2ε),

ε the test error of a classifier trained to tell source features from
target features. d_A is 2 for perfectly separable features and 0 when the
classifier does no better than chance (ε = 0.5; a worse-than-chance ε is
clipped there, so d_A ≥ 0). Here the classifier is a simple one, logistic
regression on standardised features (scikit-learn), trained on one half
of each domain's held-out features and tested on the other half.
"""

from __future__ import annotations

import numpy as np


def proxy_a_distance(source_features, target_features, seed: int = 0,
                     train_fraction: float = 0.5, max_iter: int = 200) -> dict:
    """d_A of two feature sets [N_s, F] and [N_t, F].

    Args:
      source_features, target_features: features of held-out examples.
      seed: seeds the split into the classifier's train and test halves.
      train_fraction: share of each domain the classifier is trained on.
      max_iter: iterations of the logistic regression solver.

    Returns:
      {"proxy_a_distance": d_A, "domain_error": ε}.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    s = np.asarray(source_features, np.float64).reshape(len(source_features), -1)
    t = np.asarray(target_features, np.float64).reshape(len(target_features), -1)
    if s.shape[1] != t.shape[1]:
        raise ValueError(f"source features have width {s.shape[1]} but target "
                         f"features {t.shape[1]}")
    if min(len(s), len(t)) < 4:
        raise ValueError("proxy_a_distance needs at least 4 examples per domain")
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction}")
    rng = np.random.default_rng(seed)
    x = np.concatenate([s, t])
    y = np.concatenate([np.zeros(len(s)), np.ones(len(t))])
    train = np.zeros(len(x), bool)
    for rows in (np.arange(len(s)), len(s) + np.arange(len(t))):
        rows = rng.permutation(rows)
        train[rows[: max(1, int(round(train_fraction * len(rows))))]] = True
    scaler = StandardScaler().fit(x[train])
    clf = LogisticRegression(max_iter=max_iter)
    clf.fit(scaler.transform(x[train]), y[train])
    error = float(np.mean(clf.predict(scaler.transform(x[~train])) != y[~train]))
    error = min(error, 0.5)
    return {"proxy_a_distance": 2.0 * (1.0 - 2.0 * error), "domain_error": error}
