"""Coding rate and rate reduction (MCR², CTRL, CoA-CTRL), on the global batch.

R(Z, ε) = ½ log det(I + α ZᵀZ), α = d / (n ε²), for n features of dimension
d on the unit sphere (Yu et al. 2020; CoA-CTRL eq. 3), and
ΔR(Z, Ẑ) = R(Z ∪ Ẑ) − ½ (R(Z) + R(Ẑ)) (CoA-CTRL eq. 6).

Log-determinants are taken by Cholesky of the symmetric positive-definite
I + αG (2 Σ log diag L), on the smaller Gram matrix: d×d ZᵀZ or n×n ZZᵀ
have the same log det(I + α·) by Sylvester's identity. I + αG is SPD for any
Z, so rank-deficient batches give no NaN.

Under ``MirroredStrategy`` the rates must be those of the global batch, not
of each replica's slice (``../shared/NOTES-keras3.md`` item 8): each replica
computes its d×d ZᵀZ and count, they are all-reduced, and the log det of the
global matrix is taken. The gradient then flows back to every replica's
features; with the loss divided by the number of replicas (as every loss
is), replica gradients sum to the single-device gradient. The n×n form is
used only on one replica, when n < d.
"""

from __future__ import annotations

import tensorflow as tf

from tfgen import distribute


def normalize(z: tf.Tensor) -> tf.Tensor:
    """Projects each feature row onto the unit sphere."""
    return tf.math.l2_normalize(z, axis=-1)


def _logdet_identity_plus(g: tf.Tensor, alpha) -> tf.Tensor:
    eye = tf.eye(tf.shape(g)[-1], dtype=g.dtype)
    chol = tf.linalg.cholesky(eye + alpha * g)
    return 2.0 * tf.reduce_sum(tf.math.log(tf.linalg.diag_part(chol)), axis=-1)


def _gram_and_count(z, weights=None):
    """Global ZᵀWZ (d×d) and Σw (all-reduced over replicas)."""
    zw = z if weights is None else z * weights[:, None]
    gram = distribute.all_reduce_sum(tf.matmul(zw, z, transpose_a=True))
    n = tf.cast(tf.shape(z)[0], z.dtype) if weights is None else tf.reduce_sum(weights)
    return gram, distribute.all_reduce_sum(n)


def _rate_from_gram(gram, n, d, eps_sq):
    alpha = tf.cast(d, gram.dtype) / (tf.maximum(n, 1.0) * eps_sq)
    return 0.5 * _logdet_identity_plus(gram, alpha)


def coding_rate(z: tf.Tensor, eps_sq: float = 0.5) -> tf.Tensor:
    """R(Z, ε) of the global batch; z is [n_local, d], already normalized."""
    z = tf.cast(z, tf.float32)
    n_local, d = tf.shape(z)[0], z.shape[-1]
    if distribute.num_replicas() == 1 and z.shape[0] is not None and z.shape[0] < d:
        # Smaller n×n Gram: logdet(I_n + α ZZᵀ) = logdet(I_d + α ZᵀZ).
        alpha = tf.cast(d, z.dtype) / (tf.cast(n_local, z.dtype) * eps_sq)
        return 0.5 * _logdet_identity_plus(tf.matmul(z, z, transpose_b=True), alpha)
    gram, n = _gram_and_count(z)
    return _rate_from_gram(gram, n, d, eps_sq)


def delta_r(z: tf.Tensor, z_hat: tf.Tensor, eps_sq: float = 0.5) -> tf.Tensor:
    """ΔR(Z, Ẑ) = R(Z ∪ Ẑ) − ½(R(Z) + R(Ẑ)) of the global batches."""
    z, z_hat = tf.cast(z, tf.float32), tf.cast(z_hat, tf.float32)
    d = z.shape[-1]
    g1, n1 = _gram_and_count(z)
    g2, n2 = _gram_and_count(z_hat)
    r_union = _rate_from_gram(g1 + g2, n1 + n2, d, eps_sq)
    return r_union - 0.5 * (_rate_from_gram(g1, n1, d, eps_sq)
                            + _rate_from_gram(g2, n2, d, eps_sq))


def delta_r_within(z: tf.Tensor, labels: tf.Tensor, num_classes: int,
                   eps_sq: float = 0.5) -> tf.Tensor:
    """ΔR(Z) = R(Z) − Σⱼ (nⱼ/n) R(Zⱼ): expansion between classes (MCR²)."""
    z = tf.cast(z, tf.float32)
    d = z.shape[-1]
    gram, n = _gram_and_count(z)
    total = _rate_from_gram(gram, n, d, eps_sq)
    masks = tf.one_hot(labels, num_classes, dtype=z.dtype)
    for j in range(num_classes):
        gj, nj = _gram_and_count(z, masks[:, j])
        total -= nj / n * _rate_from_gram(gj, nj, d, eps_sq)
    return total


def delta_r_conditional(z, z_hat, labels, num_classes: int,
                        eps_sq: float = 0.5) -> tf.Tensor:
    """Class-conditional CTRL objective (Dai et al. 2022):
    ΔR(Z) + ΔR(Ẑ) + Σⱼ ΔR(Zⱼ, Ẑⱼ), with masks so shapes stay fixed."""
    z, z_hat = tf.cast(z, tf.float32), tf.cast(z_hat, tf.float32)
    d = z.shape[-1]
    total = (delta_r_within(z, labels, num_classes, eps_sq)
             + delta_r_within(z_hat, labels, num_classes, eps_sq))
    masks = tf.one_hot(labels, num_classes, dtype=z.dtype)
    for j in range(num_classes):
        g1, n1 = _gram_and_count(z, masks[:, j])
        g2, n2 = _gram_and_count(z_hat, masks[:, j])
        total += (_rate_from_gram(g1 + g2, n1 + n2, d, eps_sq)
                  - 0.5 * (_rate_from_gram(g1, n1, d, eps_sq)
                           + _rate_from_gram(g2, n2, d, eps_sq)))
    return total
