"""Builds CoopNets, Algorithms D and G alone, and CoopInit from a config.

Config fields (beyond ``tfgen.config.base_config``), under ``model``:
``langevin_steps`` (l_D or T), ``step_size`` (δ of CoopNets eq. 4, or η of
CoopInit eq. 4), ``ref_std`` (s), ``gen_noise_std`` (σ), ``add_gen_noise``
(CoopNets step G0 adds e ~ N(0, σ² I)), ``infer_steps`` (l_G),
``infer_step_size`` and, for CoopInit, ``coop_examples`` (N_coop).
The player optimizers use ``optim.g_lr`` and ``optim.d_lr``.
"""

from __future__ import annotations

from tfgen.builders.common import (DISCRIMINATORS, GENERATORS, build_network,
                                   optimizer)
from tfgen.models.alternating import AlternatingBackpropModel, DescriptorModel
from tfgen.models.coopinit import CoopInitModel
from tfgen.models.cooperative import CoopNetsModel


def _nets(config, info, descriptor=True, generator=True):
    shape = tuple(info.shape)
    d = config.net.latent_dim
    gen = build_network(GENERATORS, config.net.generator, "generator", d,
                        shape) if generator else None
    desc = build_network(DISCRIMINATORS, config.net.discriminator,
                         "discriminator", shape) if descriptor else None
    return gen, desc


def _opts(config, players):
    mp = config.train.mixed_precision
    lr = {"generator": config.optim.g_lr, "descriptor": config.optim.d_lr,
          "discriminator": config.optim.d_lr}
    return {p: optimizer(config.optim, lr[p], mp) for p in players}


def build_coopnets(config, info):
    gen, desc = _nets(config, info)
    m = config.model
    model = CoopNetsModel(
        gen, desc, config.net.latent_dim, langevin_steps=m.langevin_steps,
        step_size=m.step_size, ref_std=m.ref_std, gen_noise_std=m.gen_noise_std,
        add_gen_noise=m.add_gen_noise, infer_steps=m.infer_steps,
        infer_step_size=m.infer_step_size,
        clip_revised=m.clip_revised, prior=m.prior, seed=config.seed,
        ema_decay=m.ema_decay)
    return model, _opts(config, ("generator", "descriptor"))


def build_descriptor(config, info):
    _, desc = _nets(config, info, generator=False)
    m = config.model
    model = DescriptorModel(desc, langevin_steps=m.langevin_steps,
                            step_size=m.step_size, ref_std=m.ref_std,
                            seed=config.seed)
    return model, _opts(config, ("descriptor",))


def build_alternating(config, info):
    gen, _ = _nets(config, info, descriptor=False)
    m = config.model
    model = AlternatingBackpropModel(
        gen, config.net.latent_dim, infer_steps=m.infer_steps,
        infer_step_size=m.infer_step_size, gen_noise_std=m.gen_noise_std,
        prior=m.prior, seed=config.seed, ema_decay=m.ema_decay)
    return model, _opts(config, ("generator",))


def build_coopinit(config, info):
    gen, disc = _nets(config, info)
    m = config.model
    model = CoopInitModel(
        gen, disc, config.net.latent_dim, coop_examples=m.coop_examples,
        langevin_steps=m.langevin_steps, langevin_step_size=m.step_size,
        loss=m.loss, n_critic=m.n_critic, clip_value=m.clip_value,
        gp_weight=m.gp_weight, r1_weight=m.r1_weight, prior=m.prior,
        seed=config.seed, ema_decay=m.ema_decay)
    return model, _opts(config, ("generator", "discriminator"))
