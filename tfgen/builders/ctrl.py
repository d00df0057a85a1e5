"""Builds CTRL and CoA-CTRL from a config.

Fields beyond ``tfgen.config.base_config``: ``model.eps_sq`` (ε²),
``model.coa_ratio`` (0 = CTRL), ``net.encoder`` / ``net.generator`` (the
decoder) with ``name`` "ctrl" and ``width``; ``net.latent_dim`` is nz. The
learning rate decays linearly to 0 over the run (the paper's schedule) and
both players use Adam(β1, β2) from ``optim``.
"""

from __future__ import annotations

import keras

from tfgen.models.ctrl import CTRLModel, ScaledSchedule
from tfgen.networks.ctrl import ctrl_decoder, ctrl_encoder
from tfgen.registry import lookup

ENCODERS = {"ctrl": ctrl_encoder}
DECODERS = {"ctrl": ctrl_decoder}


def build(config, info):
    if config.train.mixed_precision:
        raise ValueError("CTRL's cooperative pass shares one loss between two "
                         "players; set train.mixed_precision=false")
    coa = config.model.coa_ratio > 0
    if coa != (config.method == "coa_ctrl"):
        raise ValueError(f"method {config.method!r} needs model.coa_ratio "
                         f"{'> 0' if config.method == 'coa_ctrl' else '= 0'} "
                         f"(got {config.model.coa_ratio})")
    shape, nz = tuple(info.shape), config.net.latent_dim
    enc = lookup(ENCODERS, config.net.encoder.name, "encoder")(
        shape, nz, width=config.net.encoder.width)
    dec = lookup(DECODERS, config.net.generator.name, "decoder")(
        shape, nz, width=config.net.generator.width)
    model = CTRLModel(enc, dec, nz, eps_sq=config.model.eps_sq,
                      coa_ratio=config.model.coa_ratio, seed=config.seed,
                      ema_decay=config.model.ema_decay)
    steps = config.train.steps
    o = config.optim

    def decay(lr, updates):
        return keras.optimizers.schedules.PolynomialDecay(lr, updates, 0.0, power=1.0)

    # The encoder takes two updates per step under CoA-CTRL.
    enc_updates = steps * (2 if config.model.coa_ratio > 0 else 1)
    opts = {
        "encoder": keras.optimizers.Adam(
            ScaledSchedule(decay(o.d_lr, enc_updates), model.lr_multiplier),
            beta_1=o.beta1, beta_2=o.beta2),
        "generator": keras.optimizers.Adam(decay(o.g_lr, steps), beta_1=o.beta1,
                                           beta_2=o.beta2),
    }
    return model, opts
