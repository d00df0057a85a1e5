"""The GAN family's declarations: one ``AdversarialModel``, the game is config.

``model.*`` fields (``AdversarialModel.hparams``): ``loss`` (a key of
``tfgen.losses.ADVERSARIAL_LOSSES``), ``n_critic``, ``clip_value`` (WGAN),
``gp_weight`` (WGAN-GP), ``r1_weight``, ``prior``, ``ema_decay``.
Optimizers: the generator reads ``optim.g_lr``, the discriminator ``optim.d_lr``.
"""

from tfgen.builders.spec import Method
from tfgen.models.adversarial import AdversarialModel
from tfgen.networks import entry

GAN = Method(
    name="adversarial", model=AdversarialModel,
    slots={"generator": "generator", "discriminator": "critic"},
    networks={"generator": entry("dcgan_generator"),
              "discriminator": entry("dcgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"},
    summary="GAN, DCGAN, LSGAN, WGAN, WGAN-GP, hinge and R1 (the loss is config)")
