"""Declarations of CTRL and CoA-CTRL.

``model.*`` fields (``CTRLModel.hparams``): ``eps_sq`` (ε²), ``coa_ratio``
(0 = CTRL, > 0 = CoA-CTRL), ``conditional`` (the class-conditional
objective: trains on labelled data and exports a ``conditional_sample``
part), ``moment_decay``, ``ema_decay``. ``net.encoder`` is an encoder
network, ``net.generator`` the decoder; ``net.latent_dim`` is nz.
Optimizers: Adam(β1, β2) for both players, learning rates ``d_lr``
(encoder) and ``g_lr`` (decoder), decayed linearly to 0 over the run
(CoA-CTRL appendix A.2).
"""

from __future__ import annotations

from tfgen.builders.spec import Method, optimizer
from tfgen.models.ctrl import CTRLModel
from tfgen.networks import entry
from tfgen.schedules import linear_decay


def check(config) -> None:
    if config.train.mixed_precision:
        raise ValueError("CTRL's cooperative pass shares one loss between two "
                         "players; set train.mixed_precision=false")
    ratio = float(config.model.coa_ratio or 0.0)
    if (ratio > 0) != (config.method == "coa_ctrl"):
        raise ValueError(f"method {config.method!r} needs model.coa_ratio "
                         f"{'> 0' if config.method == 'coa_ctrl' else '= 0'} "
                         f"(got {config.model.coa_ratio})")


def optimizers(config, model) -> dict:
    """The encoder's and decoder's Adam, each decayed linearly over the run."""
    steps, o = config.train.steps, config.optim
    ratio = model.coa_ratio
    # CoA-CTRL updates the encoder twice per step; its decay counts both.
    enc_lr = linear_decay(o.d_lr, steps * (2 if ratio > 0 else 1))
    if ratio > 0:
        enc_lr = model.coa_schedule(enc_lr)
    return {"encoder": optimizer(o, enc_lr),
            "generator": optimizer(o, linear_decay(o.g_lr, steps))}


def _method(name: str, summary: str, **defaults) -> Method:
    return Method(
        name=name, model=CTRLModel,
        slots={"encoder": "encoder", "generator": "decoder"},
        networks={"encoder": entry("ctrl_encoder"), "generator": entry("ctrl_decoder")},
        lr={"encoder": "d_lr", "generator": "g_lr"}, check=check,
        optimizers=optimizers, summary=summary, defaults=defaults)


CTRL = _method("ctrl", "CTRL: closed-loop transcription by rate reduction (Dai et al. 2022)")
# CoA-ratio 1.3: the paper's MNIST value (appendix A.2.1).
COA_CTRL = _method("coa_ctrl", "CoA-CTRL: CTRL with a cooperative encoder update",
                   coa_ratio=1.3)
