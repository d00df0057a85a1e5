"""Builds the GAN family's ``AdversarialModel`` from a config."""

from __future__ import annotations

from tfgen.builders.common import (DISCRIMINATORS, GENERATORS, build_network,
                                   optimizer)
from tfgen.models.adversarial import AdversarialModel


def build(config, info):
    """Returns (model, {player: optimizer}) for ``config`` on data ``info``."""
    shape = tuple(info.shape)
    d = config.net.latent_dim
    gen = build_network(GENERATORS, config.net.generator, "generator", d, shape)
    disc = build_network(DISCRIMINATORS, config.net.discriminator,
                         "discriminator", shape)
    m = config.model
    model = AdversarialModel(
        gen, disc, d, loss=m.loss, n_critic=m.n_critic, clip_value=m.clip_value,
        gp_weight=m.gp_weight, r1_weight=m.r1_weight, prior=m.prior,
        seed=config.seed, ema_decay=m.ema_decay)
    mp = config.train.mixed_precision
    opts = {"generator": optimizer(config.optim, config.optim.g_lr, mp),
            "discriminator": optimizer(config.optim, config.optim.d_lr, mp)}
    return model, opts
