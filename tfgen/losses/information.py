"""InfoGAN's variational bound on the mutual information I(c; G(z, c)).

Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by
Information Maximizing Generative Adversarial Nets", Lemma 5.1: for any
auxiliary distribution Q(c | x),

    I(c; G(z, c)) >= L_I(G, Q) = E_{c ~ P(c), x ~ G(z, c)}[log Q(c | x)] + H(c).

H(c) does not depend on G or Q, so the gradient of L_I is that of the
expected log-likelihood alone; the *value* of L_I, though, is a bound on I
only with the entropy: a 10-way uniform categorical code has H(c) = ln 10,
and L_I approaches ln 10 when Q recovers the code from G's output. Some
implementations report E[log Q] as "the mutual information" and call a
value near 0 a success; :func:`mutual_information_bound` adds the entropy
from the codes' prior distributions, so it cannot be silently left out.

Both functions take ``tensorflow_probability`` distributions, one per code
(the argument order of TF-GAN's ``mutual_information_penalty``), average
over the local batch and scale nothing for distribution.
"""

from __future__ import annotations

import tensorflow as tf


def _per_example(log_prob: tf.Tensor) -> tf.Tensor:
    """log Q(c | x) per example: sums any axes after the batch axis.

    ``Normal(loc, scale)`` over [B, k] gives [B, k] log densities (k
    independent codes); ``Independent`` and ``OneHotCategorical`` give [B].
    """
    log_prob = tf.cast(log_prob, tf.float32)
    if log_prob.shape.rank is not None and log_prob.shape.rank > 1:
        log_prob = tf.reduce_sum(log_prob, axis=list(range(1, log_prob.shape.rank)))
    return log_prob


def _pairs(structured_generator_inputs, predicted_distributions):
    inputs = list(structured_generator_inputs)
    dists = list(predicted_distributions)
    if len(inputs) != len(dists):
        raise ValueError(f"{len(inputs)} structured generator inputs but "
                         f"{len(dists)} predicted distributions; give one of each per code")
    if not inputs:
        raise ValueError("mutual_information_penalty needs at least one code")
    return list(zip(inputs, dists))


def expected_log_likelihood(structured_generator_inputs,
                            predicted_distributions) -> tf.Tensor:
    """Σ_i E[log Q_i(c_i | x)] over the local batch (a scalar)."""
    total = tf.constant(0.0)
    for code, dist in _pairs(structured_generator_inputs, predicted_distributions):
        total += tf.reduce_mean(_per_example(dist.log_prob(code)))
    return total


def mutual_information_penalty(structured_generator_inputs,
                               predicted_distributions) -> tf.Tensor:
    """The loss that maximises InfoGAN's bound: −Σ_i E[log Q_i(c_i | x)].

    Minimised by *both* the generator (through x = G(z, c)) and Q (through
    its parameters); its gradient is −∇L_I (Chen et al. 2016, eq. 6).
    Its value is H(c) − L_I, not −L_I: use :func:`mutual_information_bound`
    for the bound itself.

    Args:
      structured_generator_inputs: the codes c_i the generator was given,
        one tensor per code (e.g. a one-hot [B, K] categorical code and a
        [B, k] continuous code), in the form ``log_prob`` takes.
      predicted_distributions: Q(c_i | G(z, c)), one ``tfp.distributions``
        distribution per code, batched over the same B examples.

    Returns:
      A float32 scalar, the mean over the local batch.
    """
    return -expected_log_likelihood(structured_generator_inputs, predicted_distributions)


def mutual_information_bound(structured_generator_inputs, predicted_distributions,
                             code_distributions) -> tf.Tensor:
    """L_I = Σ_i E[log Q_i(c_i | x)] + H(c_i), a lower bound on I(c; G(z, c)).

    Args:
      structured_generator_inputs, predicted_distributions: as for
        :func:`mutual_information_penalty`.
      code_distributions: the prior P(c_i) of each code, a
        ``tfp.distributions`` distribution whose ``entropy()`` is H(c_i)
        (summed over its batch axes: ``Uniform(-1, 1)`` for each of k codes
        has H = k ln 2).

    Returns:
      A float32 scalar: at most H(c) = Σ_i H(c_i) for discrete codes, where
      it is reached when Q recovers every code.
    """
    priors = list(code_distributions)
    pairs = _pairs(structured_generator_inputs, predicted_distributions)
    if len(priors) != len(pairs):
        raise ValueError(f"{len(pairs)} codes but {len(priors)} code distributions; the "
                         "bound needs each code's prior for its entropy H(c)")
    entropy = tf.add_n([tf.reduce_sum(tf.cast(p.entropy(), tf.float32)) for p in priors])
    return expected_log_likelihood(structured_generator_inputs,
                                   predicted_distributions) + entropy
