"""Metrics of class-conditional samples: is it the class asked for, and how varied?

Pure NumPy over a classifier's outputs (the feature network is the caller's,
as everywhere in ``tfgen.metrics``):

* :func:`class_accuracy`: how often the classifier reads the requested class,
  overall and per class (the measure of Odena et al. 2017, Sec. 4.1, with
  the project's classifiers instead of Inception);
* :func:`class_diversity`: within each class, the mean pairwise distance of
  generated samples' features over that of real images of the class. AC-GAN
  is known to trade this intra-class diversity for accuracy (the GAN
  tutorial; Odena et al. measure it with MS-SSIM, Sec. 4.2). 1 means as
  varied as the data, well below 1 a collapse within the class.
* :func:`intra_class_frechet`: the Fréchet distance per class (Miyato &
  Koyama 2018's intra-FID, here on classifier features).
"""

from __future__ import annotations

import numpy as np

from tfgen.metrics.frechet import frechet_distance_from_activations


def class_accuracy(probs, requested) -> dict:
    """{'overall': P(argmax = requested), 'per_class': [K]} from probabilities [N, K]."""
    probs, requested = np.asarray(probs), np.asarray(requested).reshape(-1)
    if len(probs) != len(requested):
        raise ValueError(f"{len(probs)} predictions but {len(requested)} labels")
    hit = np.argmax(probs, axis=1) == requested
    k = probs.shape[1]
    per = [float(hit[requested == c].mean()) if np.any(requested == c) else float("nan")
           for c in range(k)]
    return {"overall": float(hit.mean()), "per_class": per}


def _mean_pairwise(features, max_n: int = 500) -> float:
    f = np.asarray(features, np.float64)[:max_n]
    sq = np.sum(f * f, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * f @ f.T, 0.0)
    n = len(f)
    return float(np.sqrt(d2).sum() / (n * (n - 1)))


def class_diversity(fake_features, fake_labels, real_features, real_labels,
                    max_n: int = 500) -> dict:
    """Per-class mean pairwise feature distance, generated over real.

    Args:
      fake_features, fake_labels: features [N, d] of samples and the classes
        they were asked for.
      real_features, real_labels: features and labels of real images.
      max_n: at most this many samples of each class enter each mean.

    Returns:
      {'per_class': [K] ratios, 'mean': their mean}.
    """
    fake_labels = np.asarray(fake_labels).reshape(-1)
    real_labels = np.asarray(real_labels).reshape(-1)
    ratios = []
    for c in np.unique(real_labels):
        f, r = fake_features[fake_labels == c], real_features[real_labels == c]
        if len(f) < 2 or len(r) < 2:
            ratios.append(float("nan"))
            continue
        ratios.append(_mean_pairwise(f, max_n) / _mean_pairwise(r, max_n))
    return {"per_class": ratios, "mean": float(np.nanmean(ratios))}


def intra_class_frechet(fake_features, fake_labels, real_features, real_labels) -> dict:
    """{'per_class': [K] Fréchet distances within each class, 'mean'}."""
    fake_labels = np.asarray(fake_labels).reshape(-1)
    real_labels = np.asarray(real_labels).reshape(-1)
    per = [frechet_distance_from_activations(real_features[real_labels == c],
                                             fake_features[fake_labels == c])
           for c in np.unique(real_labels)]
    return {"per_class": per, "mean": float(np.mean(per))}
