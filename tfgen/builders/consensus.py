"""Simultaneous updates and consensus optimization (Mescheder et al. 2017).

Two methods, one model (``tfgen.models.consensus.SimultaneousModel``):
``simultaneous`` (γ = 0, the baseline: both players step from the same
point) and ``consensus`` (γ = 10 as in the paper's experiments). Both take
every adversarial ``model.loss``; the paper's optimizer is RMSProp
(configs/consensus_*.py set it). Optimizers: ``optim.g_lr``, ``optim.d_lr``.
"""

from tfgen.builders.spec import Method
from tfgen.models.consensus import SimultaneousModel
from tfgen.networks import entry


def _check(config):
    if config.train.mixed_precision:
        raise ValueError(f"method {config.method} does not support "
                         "train.mixed_precision (no loss scaling in the consensus step)")


def _method(name, gamma, summary):
    return Method(
        name=name, model=SimultaneousModel,
        slots={"generator": "generator", "discriminator": "critic"},
        networks={"generator": entry("dcgan_generator"),
                  "discriminator": entry("dcgan_discriminator")},
        lr={"generator": "g_lr", "discriminator": "d_lr"}, check=_check,
        defaults={"consensus_weight": gamma}, summary=summary)


SIMULTANEOUS = _method("simultaneous", 0.0,
                       "GAN with simultaneous updates (consensus_weight 0)")
CONSENSUS = _method("consensus", 10.0,
                    "consensus optimization (Mescheder et al. 2017), gamma = 10")
