"""Inception-feature scores of two-domain translations: KID and FID.

Used by bench/two_domain.py (``--kid_n``, ``--fid_n``); see its docstring and
docs/benchmarks/two_domain.md. Both use tfgen's FID Inception
(``tfgen.metrics.inception``) on images upsampled from 28 px; grey images are
repeated to RGB, and RGB domain-B images compared with grey domain-A images
are reduced to their channel mean.

FID at n images is biased upwards (Bińkowski et al. 2018; Chong & Forsyth
2020): ``fid(refs="true")`` measures that bias at the run's n as the FID
between two disjoint sets of real test images of the target domain.
"""

from __future__ import annotations

import os


def kid_b2a(f_b, pair, n, refs=False):
    """KID (×1000) of n translations F(b) against n real test images of domain A
    that are NOT their counterparts (rows n..2n), with two references: the true
    counterparts of those b (a perfect translator) and b itself (no translation)."""
    from tfgen.data import unpaired
    from tfgen.metrics import inception
    from tfgen.metrics.kid import kernel_inception_distance

    a, b, _ = unpaired.test_pairs(pair)
    net = _inception()
    real = _cached_features(a[n:2 * n])  # the same real rows FID reads, featurised once

    def kid(x):
        if x.shape[-1] != a.shape[-1]:  # RGB B images against grey A: luma-like mean
            x = x.mean(-1, keepdims=True)
        return 1000 * kernel_inception_distance(
            real, inception.fid_features(net, x), num_subsets=50, subset_size=n)[0]

    out = {"kid_b2a": kid(f_b[:n]), "kid_n": n}
    if refs:
        out.update(kid_b2a_true=kid(a[:n]), kid_b2a_identity=kid(b[:n]))
    return out


def _cached_features(images):
    """FID Inception features of ``images``, cached by their content in
    ``$TFGEN_CACHE_DIR/two_domain_fid`` (default ~/.cache/tfgen): the real
    MNIST test rows that are domain A of several pairs are featurised once."""
    import hashlib

    import numpy as np

    from tfgen.metrics import inception
    from tfgen.reference_stats import cache_dir

    images = np.ascontiguousarray(images, np.float32)
    key = hashlib.sha1(images.tobytes()).hexdigest()[:16] + f"_{len(images)}"
    root = os.path.join(cache_dir(), "two_domain_fid")
    path = os.path.join(root, key + ".npy")
    if os.path.exists(path):
        return np.load(path)
    feats = inception.fid_features(_inception(), images)
    os.makedirs(root, exist_ok=True)
    np.save(path + ".tmp.npy", feats)
    os.replace(path + ".tmp.npy", path)
    return feats


def _inception():
    from tfgen.metrics import inception

    if not hasattr(_inception, "net"):
        _inception.net = inception.fid_inception()
    return _inception.net


def fid(translated, pair, direction, n, refs="none"):
    """FID of n translations (of test rows 0..n-1) against the n real test images
    of the target domain in rows n..2n-1 (not their counterparts). With ``refs``,
    the same FID for the true counterparts (a perfect translator: FID's bias at
    this n, since both sets come from one distribution) and, with ``refs="both"``,
    for the untranslated source images (no translator; grey→RGB by repeating,
    RGB→grey by the mean)."""
    from tfgen.data import unpaired
    from tfgen.metrics import inception
    from tfgen.metrics.frechet import frechet_distance_from_activations

    a, b, _ = unpaired.test_pairs(pair)
    source, target = (b, a) if direction == "b2a" else (a, b)
    real = _cached_features(target[n:2 * n])
    key = f"fid_{direction}"
    out = {key: frechet_distance_from_activations(
        real, inception.fid_features(_inception(), translated[:n])), "fid_n": n}
    if refs in ("true", "both"):
        out[key + "_true"] = frechet_distance_from_activations(
            real, _cached_features(target[:n]))
    if refs == "both":
        src = source[:n]
        if src.shape[-1] == 3 and target.shape[-1] == 1:
            src = src.mean(-1, keepdims=True)
        out[key + "_untranslated"] = frechet_distance_from_activations(
            real, _cached_features(src))
    return out


def fid_scores(model, pair, n, dirs, refs, g_a, f_b):
    """fid() for the directions in ``dirs`` (translating more test rows if n
    exceeds those already translated)."""
    from tfgen.data import unpaired

    if not n:
        return {}
    if n > len(f_b):
        ta, tb, _ = unpaired.test_pairs(pair)
        g_a, f_b = model.translate(ta[:n], "a_to_b"), model.translate(tb[:n], "b_to_a")
    out = {}
    for direction in ("b2a", "a2b"):
        if direction in dirs or dirs == "both":
            out.update(fid(f_b if direction == "b2a" else g_a, pair, direction, n, refs))
    return out
