"""Builds CTRL and CoA-CTRL from a config.

Config fields beyond ``tfgen.config.base_config`` (set in
``configs/ctrl_*.py`` / ``configs/coa_ctrl_*.py``):

* ``model.eps_sq`` (ε²), ``model.coa_ratio`` (0 = CTRL, > 0 = CoA-CTRL),
  ``model.conditional`` (optional, default False: the class-conditional
  objective, which needs labelled batches);
* ``net.encoder`` / ``net.generator`` (the decoder): ``name`` from
  ``ENCODERS`` / ``DECODERS`` and the keyword arguments that builder takes
  (e.g. ``width``); ``net.latent_dim`` is nz;
* ``optim``: Adam(β1, β2) for both players, learning rates ``d_lr``
  (encoder) and ``g_lr`` (decoder), decayed linearly to 0 over the run
  (CoA-CTRL appendix A.2).
"""

from __future__ import annotations

import keras

from tfgen.builders import common
from tfgen.models.ctrl import CTRLModel
from tfgen.networks import ctrl as ctrl_nets
from tfgen.networks import resnet

# "Normal" encoders (appendix A.2.1) and the deep encoders of A.2.2.
ENCODERS = {"ctrl": ctrl_nets.ctrl_encoder, "resnet18": resnet.resnet18_encoder,
            "resnet50": resnet.resnet50_encoder, "resnet101": resnet.resnet101_encoder}
# "sngan" is the paper's "De8" (SNGAN's ResNet generator).
DECODERS = {"ctrl": ctrl_nets.ctrl_decoder, "sngan": resnet.sngan_decoder,
            "de8": resnet.sngan_decoder}


def linear_decay(lr: float, updates: int):
    """lr → 0 linearly over ``updates`` optimizer updates (the paper's decay)."""
    return keras.optimizers.schedules.PolynomialDecay(lr, max(int(updates), 1), 0.0,
                                                      power=1.0)


def build(config, info):
    """(CTRLModel, {"encoder": Adam, "generator": Adam}) for ``config``.

    Args:
      config: a ctrl / coa_ctrl config (see the module docstring).
      info: ``tfgen.data.DatasetInfo`` with the (resized) image shape.
    """
    if config.train.mixed_precision:
        raise ValueError("CTRL's cooperative pass shares one loss between two "
                         "players; set train.mixed_precision=false")
    ratio = float(config.model.coa_ratio or 0.0)
    if (ratio > 0) != (config.method == "coa_ctrl"):
        raise ValueError(f"method {config.method!r} needs model.coa_ratio "
                         f"{'> 0' if config.method == 'coa_ctrl' else '= 0'} "
                         f"(got {config.model.coa_ratio})")
    shape, nz = tuple(info.shape), int(config.net.latent_dim)
    enc = common.build_network(ENCODERS, config.net.encoder, "encoder", shape, nz)
    dec = common.build_network(DECODERS, config.net.generator, "decoder", shape, nz)
    model = CTRLModel(enc, dec, nz, eps_sq=config.model.eps_sq, coa_ratio=ratio,
                      conditional=config.model.get("conditional", False),
                      num_classes=info.num_classes, seed=config.seed,
                      ema_decay=config.model.ema_decay)
    steps, o = config.train.steps, config.optim
    # CoA-CTRL updates the encoder twice per step; its decay counts both.
    enc_lr = linear_decay(o.d_lr, steps * (2 if ratio > 0 else 1))
    if ratio > 0:
        enc_lr = model.coa_schedule(enc_lr)
    opts = {"encoder": common.optimizer(o, enc_lr),
            "generator": common.optimizer(o, linear_decay(o.g_lr, steps))}
    return model, opts
