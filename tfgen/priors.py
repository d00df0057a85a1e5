"""Latent priors: how a generator's inputs are drawn.

Kept apart from the models so that training, sampling tools and the exported
SavedModel draw latents the same way.

* ``normal``: z ~ N(0, I).
* ``uniform``: z ~ U[-1, 1]^d (the GAN tutorial's other common choice).
* ``sphere``: CTRL-style; z = normalize(μ + L ε), ε ~ N(0, I), a Gaussian
  fitted to the training features and projected onto the unit sphere
  (Dai et al. 2022, Sec. 4). Its mean and Cholesky factor are saved with it.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen.distribute import RNG_ALG

PRIORS = ("normal", "uniform", "sphere")


def check_prior(name: str) -> str:
    if name not in PRIORS:
        raise ValueError(f"unknown prior {name!r}; valid priors: {', '.join(PRIORS)}")
    return name


def sample(name: str, shape, seed, mean=None, scale_tril=None,
           dtype=tf.float32) -> tf.Tensor:
    """Draws latents from a prior with a stateless seed.

    Args:
      name: one of ``PRIORS``.
      shape: [batch, latent_dim] (ints or tensors).
      seed: stateless seed, int32 tensor of shape [2].
      mean: for ``sphere``, the fitted mean [latent_dim].
      scale_tril: for ``sphere``, the Cholesky factor [latent_dim, latent_dim].
      dtype: float dtype.

    Returns:
      A [batch, latent_dim] tensor.
    """
    if name == "normal":
        return tf.random.stateless_normal(shape, seed, dtype=dtype, alg=RNG_ALG)
    if name == "uniform":
        return tf.random.stateless_uniform(shape, seed, -1.0, 1.0, dtype=dtype,
                                           alg=RNG_ALG)
    if name == "sphere":
        eps = tf.random.stateless_normal(shape, seed, dtype=dtype, alg=RNG_ALG)
        z = tf.cast(mean, dtype) + tf.matmul(eps, tf.cast(scale_tril, dtype),
                                             transpose_b=True)
        return tf.math.l2_normalize(z, axis=-1)
    raise ValueError(f"unknown prior {name!r}; valid priors: {', '.join(PRIORS)}")


def fit_sphere_gaussian(features: np.ndarray, jitter: float = 1e-5):
    """Mean and Cholesky factor of a Gaussian fitted to unit-norm features."""
    f = np.asarray(features, np.float64)
    mean = f.mean(axis=0)
    cov = np.cov(f, rowvar=False) + jitter * np.eye(f.shape[1])
    return mean.astype(np.float32), np.linalg.cholesky(cov).astype(np.float32)


class Prior:
    """A latent prior as an object a model composes (not a base-class field).

    Args:
      name: one of :data:`PRIORS`.
      latent_dim: width of the latent vectors.
      mean, scale_tril: the fitted Gaussian of ``sphere`` (defaults: zero
        mean, identity), as numpy arrays or variables.
    """

    def __init__(self, name: str, latent_dim: int, mean=None, scale_tril=None):
        self.name = check_prior(name)
        self.latent_dim = int(latent_dim)
        if self.latent_dim < 1:
            raise ValueError(f"latent_dim must be >= 1, got {latent_dim}")
        d = self.latent_dim
        self.mean = np.zeros([d], np.float32) if mean is None else mean
        self.scale_tril = np.eye(d, dtype=np.float32) if scale_tril is None else scale_tril

    def sample(self, num, seed, dtype=tf.float32) -> tf.Tensor:
        """[num, latent_dim] latents for the stateless ``seed`` (int32 [2])."""
        return sample(self.name, tf.stack([num, self.latent_dim]) if tf.is_tensor(num)
                      else [num, self.latent_dim], seed, mean=self.mean,
                      scale_tril=self.scale_tril, dtype=dtype)

    def describe(self) -> dict:
        return {"prior": self.name, "latent_dim": self.latent_dim}


class ClassPriors:
    """One ``sphere`` Gaussian per class (class-conditional CTRL's samples).

    Dai et al. 2022 (Sec. 4) sample each class from a Gaussian fitted to
    that class's features and project it onto the sphere.

    Args:
      means: [K, d] class means.
      scale_trils: [K, d, d] Cholesky factors of the class covariances.
    """

    def __init__(self, means, scale_trils):
        self.means = np.asarray(means, np.float32)
        self.scale_trils = np.asarray(scale_trils, np.float32)
        self.num_classes, self.latent_dim = self.means.shape

    def sample(self, labels, seed, dtype=tf.float32) -> tf.Tensor:
        """One latent per label, from that label's Gaussian, on the sphere."""
        labels = tf.cast(labels, tf.int32)
        eps = tf.random.stateless_normal(
            tf.stack([tf.size(labels), self.latent_dim]), seed, dtype=dtype, alg=RNG_ALG)
        mean = tf.gather(tf.cast(self.means, dtype), labels)
        tril = tf.gather(tf.cast(self.scale_trils, dtype), labels)
        z = mean + tf.linalg.matvec(tril, eps)
        return tf.math.l2_normalize(z, axis=-1)
