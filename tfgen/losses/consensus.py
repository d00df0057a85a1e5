"""Consensus optimization's regularizer over a game's vector field.

For a game whose players i minimize losses f_i(θ), the vector field is
v(θ) = (∇_{θ_1} f_1, ..., ∇_{θ_n} f_n), its Jacobian J = ∂v/∂θ, and the
consensus regularizer L(θ) = ½‖v(θ)‖². Every player follows its own
gradient plus γ∇L, with ∇L = Jᵀv: a Jacobian-transpose-vector product
that double back-propagation gives without forming J (an inner tape
computes v, an outer tape differentiates ½‖v‖²). On a bilinear game, where
simultaneous gradient steps spiral away from the equilibrium, the γJᵀv
term pulls them in (Mescheder et al. 2017, Sec. 3-4).

References:
  Mescheder, Nowozin & Geiger 2017, "The Numerics of GANs" (eq. 6-7,
    Algorithm 2 "Consensus optimization": v + γ∇L with RMSProp, γ = 10).
  The GAN tutorial in ../shared/papers/gan-tutorial_* (its final part on
    the numerics of GAN training).
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf


def squared_norm(tensors) -> tf.Tensor:
    """Σ‖t‖² over a list of tensors (None entries count as zero)."""
    terms = [tf.reduce_sum(tf.square(t)) for t in tensors if t is not None]
    return tf.add_n(terms) if terms else tf.constant(0.0)


def consensus_gradients(player_losses: Callable[[], dict], variables: dict,
                        gamma: float):
    """Each player's consensus gradient v_i + γ ∇_{θ_i} ½‖v‖².

    Args:
      player_losses: called with no arguments under the tapes; returns
        {player: scalar loss that player minimizes}. Every variable the losses
        depend on must be in ``variables`` (it is the whole vector field).
      variables: {player: list of that player's variables}; a variable must
        belong to one player only.
      gamma: the regularizer's weight γ (0: the plain simultaneous field v).

    Returns:
      ({player: list of gradients, one per variable}, L = ½‖v‖² as a scalar).
      With γ = 0 no outer tape is made (no extra backward pass).
    """
    players = sorted(variables)
    ids = [id(v) for p in players for v in variables[p]]
    if len(ids) != len(set(ids)):
        raise ValueError("consensus_gradients: a variable belongs to two players")
    flat = [v for p in players for v in variables[p]]
    # Both tapes watch the trainable variables the losses read.
    with tf.GradientTape() as outer:
        with tf.GradientTape(persistent=True) as inner:
            losses = player_losses()
        if set(losses) != set(players):
            raise ValueError(f"player_losses returned {sorted(losses)}; the players "
                             f"are {players}")
        field = {p: inner.gradient(losses[p], variables[p],
                                   unconnected_gradients="zero") for p in players}
        del inner
        reg = 0.5 * squared_norm([g for p in players for g in field[p]])
    if gamma == 0:
        return field, reg
    # ∇L = Jᵀv by differentiating ½‖v‖² through the inner tape.
    jtv = outer.gradient(reg, flat, unconnected_gradients="zero")
    out, k = {}, 0
    for p in players:
        n = len(variables[p])
        out[p] = [g + gamma * tf.cast(r, g.dtype) for g, r in zip(field[p], jtv[k:k + n])]
        k += n
    return out, reg
