"""BiGAN and ALI's declarations: one ``tfgen.models.bigan.BiGAN``.

``bigan``: deterministic encoder (Donahue et al. 2017); ``ali``: Gaussian
encoder, reparameterised (Dumoulin et al. 2017). ``model.*`` fields:
``loss``, ``stochastic_encoder``, ``prior``, ``ema_decay``. The
generator-encoder player reads ``optim.g_lr``, the discriminator ``optim.d_lr``.
Default networks: the MLPs of BiGAN's permutation-invariant MNIST experiment.
"""

from tfgen.builders.spec import Method
from tfgen.models.bigan import BiGAN
from tfgen.networks import entry

SLOTS = {"generator": "generator", "encoder": "encoder", "discriminator": "joint_critic"}
LR = {"generator": "g_lr", "discriminator": "d_lr"}

BIGAN = Method(
    name="bigan", model=BiGAN, slots=SLOTS,
    networks={"generator": entry("bigan_generator"), "encoder": entry("bigan_encoder"),
              "discriminator": entry("bigan_joint_discriminator")},
    lr=LR, summary="BiGAN: deterministic encoder and joint discriminator D(x, z)")

ALI = Method(
    name="ali", model=BiGAN, slots=SLOTS,
    networks={"generator": entry("bigan_generator"),
              "encoder": entry("bigan_gaussian_encoder"),
              "discriminator": entry("bigan_joint_discriminator")},
    lr=LR, defaults={"stochastic_encoder": True},
    summary="ALI: Gaussian (reparameterised) encoder and joint discriminator D(x, z)")
