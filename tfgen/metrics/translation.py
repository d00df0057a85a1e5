"""Scores of translated images against their true counterparts (paired data).

Pure float64 functions over arrays in [-1, 1], [N, H, W, C]; the classifier
is injected (a callable images → class probabilities or logits), as the other
metrics here. Used by ``bench/pix2pix.py`` and the Pix2Pix tests.

* :func:`l1_error`: mean |y − ŷ| in [-1, 1] units (what Pix2Pix's L1 term sees);
* :func:`psnr`: mean over images of 10·log10(1 / MSE) with pixels in [0, 1];
* :func:`sharpness_ratio`: mean absolute finite difference (horizontal and
  vertical) of ŷ over that of y: 1 when the outputs are as sharp as the
  truth, below 1 when blurry (Isola et al. 2017 report L1 alone as blurry);
* :func:`label_accuracy`: how often a classifier reads the source's label in
  the translation (our analogue of the paper's FCN score).
"""

from __future__ import annotations

import numpy as np


def _pair(target, output):
    y, yhat = np.asarray(target, np.float64), np.asarray(output, np.float64)
    if y.shape != yhat.shape:
        raise ValueError(f"target has shape {y.shape} but output {yhat.shape}; "
                         "compare each translation with its own true counterpart")
    return y, yhat


def l1_error(target, output) -> float:
    y, yhat = _pair(target, output)
    return float(np.mean(np.abs(y - yhat)))


def psnr(target, output) -> float:
    """Mean per-image PSNR in dB, pixels mapped from [-1, 1] to [0, 1]
    (an image equal to its target counts as 100 dB)."""
    y, yhat = _pair(target, output)
    mse = np.mean(np.square((y - yhat) / 2.0), axis=tuple(range(1, y.ndim)))
    return float(np.mean(np.where(mse > 0, 10 * np.log10(1.0 / np.maximum(mse, 1e-10)),
                                  100.0)))


def _gradient_energy(x) -> float:
    return float(np.mean(np.abs(np.diff(x, axis=1))) + np.mean(np.abs(np.diff(x, axis=2))))


def sharpness_ratio(target, output) -> float:
    y, yhat = _pair(target, output)
    return _gradient_energy(yhat) / max(_gradient_energy(y), 1e-12)


def label_accuracy(classify, images, labels, batch_size: int = 500) -> float:
    """Fraction of ``images`` whose argmax class under ``classify`` is ``labels``."""
    labels = np.asarray(labels)
    hits = 0
    for i in range(0, len(images), batch_size):
        scores = np.asarray(classify(np.asarray(images[i:i + batch_size], np.float32)))
        hits += int(np.sum(np.argmax(scores, axis=-1) == labels[i:i + batch_size]))
    return hits / max(len(images), 1)


def translation_scores(target, output, labels=None, classify=None) -> dict:
    """{l1, psnr, sharpness, [accuracy]} of ``output`` against ``target``."""
    out = {"l1": l1_error(target, output), "psnr": psnr(target, output),
           "sharpness": sharpness_ratio(target, output)}
    if classify is not None and labels is not None:
        out["accuracy"] = label_accuracy(classify, output, labels)
    return out
