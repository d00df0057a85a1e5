"""Feature statistics of a real dataset, computed once and cached on disk.

FID needs the mean and covariance of the real split's Inception features.
On a 2-core CPU the Inception network runs at roughly 10 images/s, so these
statistics are cached in ``$TFGEN_CACHE_DIR/fid_stats/`` (default
``~/.cache/tfgen``), keyed by dataset, split, the number of real images and a
digest of their pixels (:func:`cache_key`), so that an ``npz:`` or
``folder:`` dataset whose files change at the same path is not served stale
statistics. The file also keeps the first ``keep`` feature vectors for KID
and precision/recall.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile

import numpy as np

from tfgen.metrics.streaming import FeatureStats


def cache_dir() -> str:
    return os.environ.get("TFGEN_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "tfgen")


class CachedStats:
    """What the Fréchet distance and KID need from a real feature set."""

    def __init__(self, mean, cov, features, count):
        self.mean, self.cov, self.features, self.count = mean, cov, features, int(count)


def cache_key(kind: str, dataset: str, split: str, images) -> str:
    """``<kind>-<dataset>-<split>-<count>-<digest>``, safe as a file name.

    Args:
      kind: the feature network's tag (``fid``).
      dataset: the dataset's name; characters other than letters, digits,
        ``.``, ``_`` and ``-`` (the ``:`` and ``/`` of ``npz:PATH``) become ``_``.
      split: the split's name.
      images: the real images whose features the file caches; their shape,
        dtype and bytes enter the digest (SHA-256, 16 hex digits).
    """
    images = np.ascontiguousarray(images)
    digest = hashlib.sha256(f"{images.shape}{images.dtype}".encode())
    digest.update(memoryview(images.reshape(-1)).cast("B"))
    name = re.sub(r"[^A-Za-z0-9._-]", "_", dataset)[-80:]
    return f"{kind}-{name}-{split}-{len(images)}-{digest.hexdigest()[:16]}"


def stats_path(key: str) -> str:
    return os.path.join(cache_dir(), "fid_stats", f"{key}.npz")


def real_stats(key: str, images, feature_fn, batch_size: int = 100, keep: int = 0,
               use_cache: bool = True) -> CachedStats:
    """Mean, covariance and the first ``keep`` features of ``feature_fn(images)``.

    Args:
      key: cache file name (from :func:`cache_key`); it must change
        whenever the images or the feature network change.
      images: the real images (all are used).
      feature_fn: images -> [n, d] features.
      batch_size: images per ``feature_fn`` call.
      keep: feature vectors stored for set-based metrics.
      use_cache: read and write the cache file; False always recomputes.
    """
    path = stats_path(key)
    if use_cache and os.path.isfile(path):
        try:
            with np.load(path) as f:
                if int(f["count"]) == len(images) and len(f["features"]) >= min(keep, len(images)):
                    return CachedStats(f["mean"], f["cov"], f["features"][:keep], f["count"])
        except (OSError, ValueError, KeyError) as e:
            raise ValueError(f"corrupt feature cache {path} ({e}); delete it and rerun") from e
    stats = FeatureStats(keep=keep)
    for i in range(0, len(images), batch_size):
        stats.update(feature_fn(images[i:i + batch_size]))
    kept = stats.features if stats.features is not None else np.zeros((0, len(stats.mean)))
    out = CachedStats(stats.mean, stats.cov, kept, stats.count)
    if use_cache:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, mean=out.mean, cov=out.cov, features=kept.astype(np.float32),
                         count=out.count)
            os.replace(tmp, path)
        except BaseException:
            os.remove(tmp)
            raise
    return out
