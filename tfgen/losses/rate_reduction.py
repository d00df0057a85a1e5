"""Coding rate and rate reduction (MCR², CTRL, CoA-CTRL), on the global batch.

For n features of dimension d, projected onto the unit sphere (rows of Z),

    R(Z, ε) = ½ log det(I_d + α ZᵀZ),   α = d / (n ε²)

(Yu et al. 2020, "Learning diverse and discriminative representations via the
principle of maximal coding rate reduction", eq. 3 of CoA-CTRL, Wang et al.
2023, with ``eps_sq`` = ε²), and

    ΔR(Z, Ẑ) = R(Z ∪ Ẑ) − ½ (R(Z) + R(Ẑ))          (CoA-CTRL eq. 6).

Numerics. Each log-determinant is 2 Σ log diag(L) with L the Cholesky factor
of the symmetric positive-definite I + αG. Its eigenvalues are ≥ 1 for any Z
(G is a Gram matrix), so no jitter is needed and rank-deficient batches
(rank-1 Z, duplicated rows) stay finite; the float32 rounding of G moves the
smallest eigenvalue by about α‖G‖·1e-7 ≪ 1. Features of a lower precision
(mixed float16 / bfloat16) are cast to float32; ``compute_dtype="float64"``
accumulates the Gram matrices, their all-reduce and the Cholesky in float64
(the rate is returned in float32 unless z is float64).

Which Gram matrix. By Sylvester's identity log det(I_d + α ZᵀZ) =
log det(I_n + α ZZᵀ), so the smaller matrix can be factored. Under
``MirroredStrategy`` the rates must be those of the GLOBAL batch
(``../shared/NOTES-keras3.md`` item 8), and only the d×d form can be summed
across replicas: each replica computes its ZᵀZ and row count, both are
all-reduced (``tfgen.distribute.all_reduce_sum``) and the log det of the
global matrix is taken. The all-reduce is differentiable, so when the loss is
divided by the number of replicas (``tfgen.distribute.scale_loss``) the
replica gradients sum to the single-device gradient. The n×n form needs every
row at once and is therefore used only on one replica (or with
``global_batch=False``); ``form="auto"`` picks it when it is smaller.
"""

from __future__ import annotations

import tensorflow as tf

from tfgen import distribute

FORMS = ("auto", "dxd", "nxn")


def normalize(z: tf.Tensor) -> tf.Tensor:
    """Projects each feature row onto the unit sphere (l2-normalizes rows).

    Args:
      z: features [n, d].

    Returns:
      z / ‖z‖ row-wise (a zero row stays zero).
    """
    return tf.math.l2_normalize(z, axis=-1)


def coding_rate(z: tf.Tensor, eps_sq: float = 0.5, *, global_batch: bool = True,
                form: str = "auto", compute_dtype: str = "float32") -> tf.Tensor:
    """R(Z, ε) = ½ log det(I + d/(n ε²) ZᵀZ) (Yu et al. 2020; CoA-CTRL eq. 3).

    Args:
      z: this replica's features [n_local, d], already on the unit sphere.
      eps_sq: ε², the squared distortion (the paper uses 0.5).
      global_batch: the rate of the batch gathered over all replicas (sum of
        the replicas' ZᵀZ and n); False gives each replica its own rate.
      form: "dxd" (ZᵀZ), "nxn" (ZZᵀ, one replica or ``global_batch=False``
        only) or "auto" (the smaller one that is valid).
      compute_dtype: "float32", or "float64" to accumulate in double.

    Returns:
      A scalar.
    """
    z, dtype, out = _prepare(z, compute_dtype, "coding_rate")
    d = z.shape[-1]
    n = tf.cast(tf.shape(z)[0], dtype)
    if _sample_form(form, z.shape[0], d, global_batch):
        gram = tf.matmul(z, z, transpose_b=True)[None]
    else:
        gram = _reduce(tf.matmul(z, z, transpose_a=True), global_batch)[None]
        n = _reduce(n, global_batch)
    return tf.cast(_rates(gram, n[None], d, eps_sq)[0], out)


def delta_r(z: tf.Tensor, z_hat: tf.Tensor, eps_sq: float = 0.5, *,
            global_batch: bool = True, form: str = "auto",
            compute_dtype: str = "float32") -> tf.Tensor:
    """ΔR(Z, Ẑ) = R(Z ∪ Ẑ) − ½(R(Z) + R(Ẑ)) (CoA-CTRL eq. 6; Dai et al. 2022).

    Args:
      z: features [n_local, d] (on the unit sphere).
      z_hat: features [m_local, d] (on the unit sphere).
      eps_sq, global_batch, form, compute_dtype: as in :func:`coding_rate`;
        "auto" takes the n×n form when n + m < d on one replica.

    Returns:
      A scalar, ≥ 0 (concavity of log det) and 0 when Ẑ = Z.
    """
    z, dtype, out = _prepare(z, compute_dtype, "delta_r")
    z_hat = _prepare(z_hat, compute_dtype, "delta_r")[0]
    d = _same_dim(z, z_hat)
    n1 = tf.cast(tf.shape(z)[0], dtype)
    n2 = tf.cast(tf.shape(z_hat)[0], dtype)
    rows = _static_sum(z.shape[0], z_hat.shape[0])
    if _sample_form(form, rows, d, global_batch):
        x = tf.concat([z, z_hat], 0)
        kernel = tf.matmul(x, x, transpose_b=True)  # ZZᵀ and ẐẐᵀ are its diagonal blocks
        k = tf.shape(z)[0]
        rates = [_rates(g[None], c[None], d, eps_sq)[0] for g, c in
                 ((kernel, n1 + n2), (kernel[:k, :k], n1), (kernel[k:, k:], n2))]
    else:
        g1 = _reduce(tf.matmul(z, z, transpose_a=True), global_batch)
        g2 = _reduce(tf.matmul(z_hat, z_hat, transpose_a=True), global_batch)
        n1, n2 = _reduce(n1, global_batch), _reduce(n2, global_batch)
        rates = _rates(tf.stack([g1 + g2, g1, g2]), tf.stack([n1 + n2, n1, n2]),
                       d, eps_sq)
    return tf.cast(rates[0] - 0.5 * (rates[1] + rates[2]), out)


def delta_r_within(z: tf.Tensor, labels: tf.Tensor, num_classes: int,
                   eps_sq: float = 0.5, **kwargs) -> tf.Tensor:
    """ΔR(Z, Π) = R(Z) − Σⱼ (nⱼ/n) R(Zⱼ): expansion of the classes (MCR²).

    R(Zⱼ) is the rate of class j's rows alone, with α = d / (nⱼ ε²), as in
    Yu et al. 2020 (eq. 8, tr Πⱼ in place of n) and the CTRL code of Dai et
    al. 2022; an absent class (nⱼ = 0) contributes 0.

    Args:
      z: features [n_local, d] (on the unit sphere).
      labels: integer class ids [n_local] in [0, num_classes).
      num_classes: number of classes.
      eps_sq: ε².
      **kwargs: ``global_batch``, ``form``, ``compute_dtype`` as in
        :func:`coding_rate`.

    Returns:
      A scalar.
    """
    r = _conditional_rates(z, None, labels, num_classes, eps_sq, **kwargs)
    return r["within_z"]


def delta_r_conditional(z: tf.Tensor, z_hat: tf.Tensor, labels: tf.Tensor,
                        num_classes: int, eps_sq: float = 0.5,
                        **kwargs) -> tf.Tensor:
    """Class-conditional CTRL objective (Dai et al. 2022, eq. 12).

    ΔR(Z) + ΔR(Ẑ) + Σⱼ ΔR(Zⱼ, Ẑⱼ), with ΔR(Z) as in :func:`delta_r_within`
    and Zⱼ, Ẑⱼ the rows of class j (``labels`` holds the class of row i of
    both z and z_hat, as x̂ᵢ is decoded from xᵢ). Class subsets are selected
    with one-hot masks (Zᵀ diag(mⱼ) Z), so shapes are fixed: the function
    traces once whatever the labels and compiles under XLA.

    Args:
      z: features of the data [n_local, d] (on the unit sphere).
      z_hat: features of the transcriptions [n_local, d].
      labels: integer class ids [n_local] in [0, num_classes).
      num_classes: number of classes.
      eps_sq: ε².
      **kwargs: ``global_batch``, ``form``, ``compute_dtype`` as in
        :func:`coding_rate`.

    Returns:
      A scalar.
    """
    r = _conditional_rates(z, z_hat, labels, num_classes, eps_sq, **kwargs)
    return r["within_z"] + r["within_z_hat"] + r["between"]


def _conditional_rates(z, z_hat, labels, num_classes, eps_sq, *,
                       global_batch=True, form="auto", compute_dtype="float32"):
    if int(num_classes) < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    z, dtype, out = _prepare(z, compute_dtype, "delta_r_conditional")
    d = z.shape[-1]
    sets = [z] if z_hat is None else [z, _prepare(z_hat, compute_dtype, "delta_r_conditional")[0]]
    if z_hat is not None:
        _same_dim(z, sets[1])
        if z.shape[0] is not None and sets[1].shape[0] not in (None, z.shape[0]):
            raise ValueError(f"z has {z.shape[0]} rows but z_hat {sets[1].shape[0]};"
                             " labels index the rows of both, pass equal batches")
    onehot = tf.one_hot(tf.cast(tf.reshape(labels, [-1]), tf.int32), num_classes,
                        dtype=dtype)                      # [n, C]
    rows = _static_sum(*[s.shape[0] for s in sets])
    c = num_classes
    if _sample_form(form, rows, d, global_batch):
        # Columns select the sets [Z, Z_1..Z_C, Ẑ, Ẑ_1..Ẑ_C, Z_1∪Ẑ_1..] of the rows.
        x = tf.concat(sets, 0)
        source = tf.concat([tf.fill(tf.shape(s)[:1], k) for k, s in enumerate(sets)], 0)
        onehot_all = tf.concat([onehot] * len(sets), 0)
        cols = []
        for k in range(len(sets)):
            block = tf.cast(tf.equal(source, k), dtype)[:, None]
            cols += [block, block * onehot_all]
        if z_hat is not None:
            cols.append(onehot_all)
        masks = tf.concat(cols, 1)
        counts = tf.reduce_sum(masks, 0)
        rates = _rates(_masked_sample_grams(x, masks), counts, d, eps_sq)
    else:
        grams, counts = [], []
        for s in sets:
            grams.append(_reduce(tf.matmul(s, s, transpose_a=True), global_batch)[None])
            counts.append(_reduce(tf.cast(tf.shape(s)[:1], dtype), global_batch))
            masked = onehot[:, :, None] * s[:, None, :]           # rows of class j
            grams.append(_reduce(tf.einsum("ncd,ne->cde", masked, s), global_batch))
            counts.append(_reduce(tf.reduce_sum(onehot, 0), global_batch))
        if z_hat is not None:                             # class j of Z ∪ Ẑ
            grams.append(grams[1] + grams[3])
            counts.append(counts[1] + counts[3])
        counts = tf.concat(counts, 0)
        rates = _rates(tf.concat(grams, 0), counts, d, eps_sq)
    result = {}
    for k, name in enumerate(("within_z", "within_z_hat")[:len(sets)]):
        at = k * (1 + c)
        n, r = counts[at], rates[at]
        n_j, r_j = counts[at + 1:at + 1 + c], rates[at + 1:at + 1 + c]
        result[name] = tf.cast(r - tf.reduce_sum(n_j / tf.maximum(n, 1.0) * r_j), out)
    if z_hat is not None:
        r_z, r_zh, r_u = rates[1:1 + c], rates[2 + c:2 + 2 * c], rates[2 + 2 * c:]
        result["between"] = tf.cast(tf.reduce_sum(r_u - 0.5 * (r_z + r_zh)), out)
    return result


def _rates(grams, counts, d, eps_sq):
    """½ log det(I + d/(nₛ ε²) Gₛ) for a batch of Gram matrices [S, m, m]."""
    if isinstance(eps_sq, (int, float)) and not eps_sq > 0:
        raise ValueError(f"eps_sq must be > 0, got {eps_sq}")
    dtype = grams.dtype
    alpha = tf.cast(d, dtype) / (tf.maximum(counts, 1.0) * tf.cast(eps_sq, dtype))
    eye = tf.eye(tf.shape(grams)[-1], dtype=dtype)
    chol = tf.linalg.cholesky(eye + alpha[:, None, None] * grams)
    return tf.reduce_sum(tf.math.log(tf.linalg.diag_part(chol)), axis=-1)


def _masked_sample_grams(x, masks):
    """(mₛ mₛᵀ) ∘ XXᵀ per set: the n×n Gram of set s, identity-padded by _rates."""
    kernel = tf.matmul(x, x, transpose_b=True)
    m = tf.transpose(masks)
    return m[:, :, None] * kernel[None] * m[:, None, :]


def _sample_form(form, rows, d, global_batch):
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, got {form!r}")
    single = not global_batch or distribute.num_replicas() == 1
    if form == "nxn":
        if not single:
            raise ValueError("form='nxn' cannot give the global batch's rate on "
                             "several replicas; use form='dxd' or 'auto'")
        return True
    return form == "auto" and single and rows is not None and rows < d


def _reduce(value, global_batch):
    return distribute.all_reduce_sum(value) if global_batch else value


def _prepare(z, compute_dtype, fn):
    if compute_dtype not in ("float32", "float64"):
        raise ValueError(f"compute_dtype must be 'float32' or 'float64', got {compute_dtype!r}")
    z = tf.convert_to_tensor(z)
    if z.shape.rank != 2 or z.shape[-1] is None:
        raise ValueError(f"{fn} expects features of shape [n, d] with a known d, "
                         f"got {z.shape}; flatten the encoder output first")
    out = tf.float64 if z.dtype == tf.float64 else tf.float32
    dtype = tf.float64 if compute_dtype == "float64" or out == tf.float64 else tf.float32
    return tf.cast(z, dtype), dtype, out


def _same_dim(z, z_hat):
    if z.shape[-1] != z_hat.shape[-1]:
        raise ValueError(f"z and z_hat must have the same feature dimension, got "
                         f"{z.shape[-1]} and {z_hat.shape[-1]}")
    return z.shape[-1]


def _static_sum(*sizes):
    return None if any(s is None for s in sizes) else sum(sizes)
