"""Declarations of CoopNets, Algorithms D and G alone, and CoopInit.

``model.*`` fields are each model's ``hparams``: ``langevin_steps`` (l_D
or T), ``step_size`` (δ of CoopNets eq. 4, or η of CoopInit eq. 4),
``ref_std`` (s), ``gen_noise_std`` (σ), ``add_gen_noise`` (CoopNets step G0
adds e ~ N(0, σ² I)), ``infer_steps`` (l_G), ``infer_step_size`` and, for
CoopInit, ``coop_examples`` (N_coop) and the adversarial fields of the GAN.
The generator reads ``optim.g_lr``; the descriptor (or CoopInit's
discriminator) ``optim.d_lr``.
"""

from tfgen.builders.spec import Method
from tfgen.models.alternating import AlternatingBackpropModel, DescriptorModel
from tfgen.models.coopinit import CoopInitModel
from tfgen.models.cooperative import CoopNetsModel
from tfgen.networks import entry

# The Sec. 5.2 descriptor with ReLU, as tfgen's CoopNets and Algorithm D
# results in docs/BENCHMARKS.md were measured (the network's own default
# is leaky ReLU).
DESCRIPTOR_NET = entry("coopnets_descriptor", activation="relu")

COOPNETS = Method(
    name="coopnets", model=CoopNetsModel,
    slots={"generator": "generator", "descriptor": "critic"},
    networks={"generator": entry("dcgan_generator"),
              "descriptor": DESCRIPTOR_NET},
    lr={"generator": "g_lr", "descriptor": "d_lr"},
    summary="CoopNets: descriptor and generator by MCMC teaching (Xie et al. 2018)")

DESCRIPTOR = Method(
    name="descriptor", model=DescriptorModel,
    slots={"descriptor": "critic"},
    networks={"descriptor": DESCRIPTOR_NET},
    lr={"descriptor": "d_lr"},
    summary="Algorithm D: the descriptor alone, sampled by Langevin dynamics")

ALTERNATING = Method(
    name="alternating_backprop", model=AlternatingBackpropModel,
    slots={"generator": "generator"},
    networks={"generator": entry("dcgan_generator")},
    lr={"generator": "g_lr"},
    summary="Algorithm G: the generator alone by alternating back-propagation")

COOPINIT = Method(
    name="coopinit", model=CoopInitModel,
    slots={"generator": "generator", "discriminator": "critic"},
    networks={"generator": entry("dcgan_generator"),
              "discriminator": entry("dcgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"},
    summary="CoopInit: cooperative initialization, then a GAN (Zhao et al. 2023)")
