"""The update steps every cooperative method shares, written once.

CoopNets, Algorithm D, Algorithm G and CoopInit's cooperative stage all
update an energy-based descriptor by its maximum-likelihood gradient (step
D2: observed examples up, synthesized ones down; CoopNets eq. 5, CoopInit
eq. 3), and all but Algorithm D regress a generator on revised or observed
examples (step G2, MCMC teaching or alternating back-propagation; CoopNets
eq. 10). Each function takes the model (a ``tfgen.models.base.Game``) for its
player's loss scaling and optimizer; the losses are the pure functions of
``tfgen.losses.cooperative``.
"""

from __future__ import annotations

import tensorflow as tf

from tfgen.losses import descriptor_mle_loss, mcmc_teaching_loss


def scores(network, y, training: bool = False) -> tf.Tensor:
    """f(Y): a descriptor's negative energy, one number per example."""
    return tf.reshape(network(y, training=training), [-1])


def descriptor_step(model, player: str, observed, synthesized):
    """Step D2: one MLE update of ``player``'s descriptor network.

    Returns:
      (loss, f(observed), f(synthesized)), the scores as [B] vectors.
    """
    network = getattr(model, player)
    with tf.GradientTape() as tape:
        s_obs = scores(network, observed, training=True)
        s_syn = scores(network, synthesized, training=True)
        loss = descriptor_mle_loss(s_obs, s_syn)
        scaled = model.scale(loss, player)
    model.update(player, tape, scaled)
    return loss, s_obs, s_syn


def teaching_step(model, latents, targets, sigma: float):
    """Step G2: regress ``targets`` on g(``latents``), E||Y − g(X)||² / (2σ²).

    Returns:
      (loss, g(latents)) with the generator in training mode.
    """
    with tf.GradientTape() as tape:
        recon = model.generator(latents, training=True)
        loss = mcmc_teaching_loss(targets, recon, sigma)
        scaled = model.scale(loss, "generator")
    model.update("generator", tape, scaled)
    return loss, recon
