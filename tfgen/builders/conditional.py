"""Declarations of the class-conditional GANs: cGAN and AC-GAN.

Both train on the ``labelled`` data kind; ``num_classes`` comes from the
data. ``model.*`` fields: ``loss`` (a key of
``tfgen.losses.ADVERSARIAL_LOSSES``), ``prior``, ``ema_decay``, and for
AC-GAN ``aux_weight`` (the weight of the class loss L_C). How the label
enters the cGAN discriminator is its network's field
``net.discriminator.condition`` ("concat", "feature" or "projection").
Optimizers: the generator reads ``optim.g_lr``, the discriminator
``optim.d_lr``.
"""

from tfgen.builders.spec import Method
from tfgen.models.conditional import ACGAN as ACGANModel
from tfgen.models.conditional import ConditionalGAN
from tfgen.networks import entry

CGAN = Method(
    name="cgan", model=ConditionalGAN,
    slots={"generator": "conditional_generator", "discriminator": "conditional_critic"},
    networks={"generator": entry("cgan_generator"),
              "discriminator": entry("cgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"},
    summary="conditional GAN, D(x, y) by concatenation or projection "
            "(Mirza & Osindero 2014; Miyato & Koyama 2018)")

ACGAN = Method(
    name="acgan", model=ACGANModel,
    slots={"generator": "conditional_generator", "discriminator": "classifying_critic"},
    networks={"generator": entry("cgan_generator"),
              "discriminator": entry("acgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"},
    summary="auxiliary classifier GAN (Odena et al. 2017)")
