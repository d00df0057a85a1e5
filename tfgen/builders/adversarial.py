"""The GAN family's declarations: one ``AdversarialModel``, the game is config.

``model.*`` fields (``AdversarialModel.hparams``): ``loss`` (a key of
``tfgen.losses.ADVERSARIAL_LOSSES``), ``n_critic``, ``clip_value`` (WGAN),
``gp_weight`` (WGAN-GP), ``r1_weight``, ``prior``, ``ema_decay``.
Optimizers: the generator reads ``optim.g_lr``, the discriminator ``optim.d_lr``.
An optional ``optim.lr_decay_steps`` > 0 (absent or 0: constant rates) decays
both rates linearly to 0 at that training step; with ``optim.lr_decay_start``
> 0 the rates are held until that step and the decay runs from there
(CycleGAN's schedule). The critic's schedule counts its ``n_critic`` updates
per step.
"""

from tfgen.builders.spec import Method, optimizer
from tfgen.models.adversarial import AdversarialModel
from tfgen.networks import entry
from tfgen.schedules import linear_decay


def optimizers(config, model) -> dict:
    """Each player's optimizer, with the optional linear decay of its rate."""
    o, mp = config.optim, config.train.mixed_precision
    decay_steps = int(o.get("lr_decay_steps", 0) or 0)
    if decay_steps < 0:
        raise ValueError(f"optim.lr_decay_steps must be >= 0 (0 = constant rates), "
                         f"got {decay_steps}")
    start = int(o.get("lr_decay_start", 0) or 0)
    if start and not 0 < start < decay_steps:
        raise ValueError(f"optim.lr_decay_start must lie between 0 and optim.lr_decay_steps "
                         f"({decay_steps}); got {start}")
    per_step = {"generator": 1, "discriminator": model.n_critic}
    rates = {"generator": o.g_lr, "discriminator": o.d_lr}
    return {p: optimizer(o, linear_decay(lr, decay_steps * per_step[p], start * per_step[p])
                         if decay_steps else lr, mp)
            for p, lr in rates.items()}


GAN = Method(
    name="adversarial", model=AdversarialModel,
    slots={"generator": "generator", "discriminator": "critic"},
    networks={"generator": entry("dcgan_generator"),
              "discriminator": entry("dcgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"}, optimizers=optimizers,
    summary="GAN, DCGAN, LSGAN, WGAN, WGAN-GP, hinge and R1 (the loss is config)")
