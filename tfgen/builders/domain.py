"""Declarations of domain adaptation: DANN, its source-only baseline, DupGAN.

Both train on the ``semi_supervised`` kind: ``data.name`` is the labelled
source, ``data.target`` the unlabelled target domain (its labels are read
only by evaluation). ``num_classes`` comes from the data. Optimizers: both
players (``predictor`` = features + label predictor, ``domain`` = domain
classifier) read ``optim.base_lr`` (μ₀). With ``optim.name = "sgd"`` (the
paper's) they are SGD with ``model.momentum`` and, when
``model.lr_anneal``, the annealed rate μ_p = μ₀/(1 + α·p)^β of Ganin et al.
2016 (Sec. 5.2.2) over p = step / ``model.schedule_steps`` (0: the run's
``train.steps``); other ``optim.name`` values use the shared optimizers.
DupGAN (Hu et al. 2018) trains its three players (encoder + classifier,
generator, the two discriminators) with the shared optimizer (Adam by
default) at ``optim.e_lr``, ``g_lr``, ``d_lr``; with ``model.encoder_sgd``
the encoder + classifier use DANN's annealed SGD at ``optim.e_lr`` instead.
"""

from __future__ import annotations

import keras

from tfgen.builders import spec
from tfgen.builders.spec import Method
from tfgen.models.dann import DANN as DANNModel
from tfgen.models.dupgan import DupGAN as DupGANModel
from tfgen.networks import entry


@keras.saving.register_keras_serializable(package="tfgen")
class AnnealedRate(keras.optimizers.schedules.LearningRateSchedule):
    """μ_p = μ₀ / (1 + α·p)^β with p = min(step / steps, 1)."""

    def __init__(self, initial: float, steps: int, alpha: float = 10.0, beta: float = 0.75):
        self.initial, self.steps = float(initial), int(steps)
        self.alpha, self.beta = float(alpha), float(beta)

    def __call__(self, step):
        p = keras.ops.minimum(keras.ops.cast(step, "float32") / float(self.steps), 1.0)
        return self.initial / (1.0 + self.alpha * p) ** self.beta

    def get_config(self):
        return {"initial": self.initial, "steps": self.steps, "alpha": self.alpha,
                "beta": self.beta}


def optimizers(config, model) -> dict:
    if model.schedule_steps == 0:
        model.schedule_steps = int(config.train.steps)
    lr = float(config.optim.base_lr)
    if config.optim.name != "sgd":
        return {p: spec.optimizer(config.optim, lr, config.train.mixed_precision)
                for p in model.player_networks()}
    rate = (AnnealedRate(lr, model.schedule_steps, model.lr_alpha, model.lr_beta)
            if model.lr_anneal else lr)
    return {player: sgd(rate, model.momentum, config.train.mixed_precision)
            for player in model.player_networks()}


def sgd(rate, momentum: float, mixed_precision: bool):
    """SGD with momentum at ``rate`` (a number or a schedule), loss-scaled under
    mixed precision: DANN's optimizer (Ganin et al. 2016, Sec. 5.2.2)."""
    opt = keras.optimizers.SGD(rate, momentum=momentum)
    return keras.optimizers.LossScaleOptimizer(opt) if mixed_precision else opt


def check(config) -> None:
    if not config.data.target:
        raise ValueError(f"{config.method} adapts from data.name to data.target: set "
                         "data.target to the unlabelled target domain "
                         "(e.g. --config.data.target=mnistm_like)")


_SLOTS = {"features": "encoder", "classifier": "feature_classifier",
          "domain_classifier": "feature_critic"}
_NETS = {"features": entry("dann_features"), "classifier": entry("dann_classifier"),
         "domain_classifier": entry("dann_domain_classifier")}

DANN = Method(
    name="dann", model=DANNModel, slots=_SLOTS, networks=_NETS,
    lr={"predictor": "base_lr", "domain": "base_lr"}, optimizers=optimizers, check=check,
    summary="domain-adversarial training by gradient reversal (Ganin et al. 2016)")

SOURCE_ONLY = Method(
    name="source_only", model=DANNModel, slots=_SLOTS, networks=_NETS,
    lr={"predictor": "base_lr", "domain": "base_lr"}, optimizers=optimizers, check=check,
    defaults={"adaptation": False},
    summary="DANN's networks trained on the source labels only (no adaptation)")


def dupgan_optimizers(config, model) -> dict:
    """Adam (``optim``) per player: e_lr for E + C, g_lr for G, d_lr for D_s, D_t.

    With ``model.encoder_sgd`` E + C train as DANN's predictor does: SGD,
    momentum 0.9, μ_p = e_lr/(1 + 10·p)^0.75 over ``train.steps``. Sets
    ``model.schedule_examples`` (0: train.steps × data.batch_size)."""
    if model.schedule_examples == 0:  # the class-balanced share's schedule
        model.schedule_examples = int(config.train.steps) * int(config.data.batch_size)
    mp = config.train.mixed_precision
    opts = {p: spec.optimizer(config.optim, config.optim[f], mp)
            for p, f in (("encoder", "e_lr"), ("generator", "g_lr"),
                         ("discriminator", "d_lr"))}
    if model.encoder_sgd:
        opts["encoder"] = sgd(AnnealedRate(float(config.optim.e_lr), int(config.train.steps)),
                              0.9, mp)
    return opts


DUPGAN = Method(
    name="dupgan", model=DupGANModel,
    slots={"encoder": "encoder", "classifier": "feature_classifier",
           "generator": "decoder", "disc_source": "class_critic",
           "disc_target": "class_critic"},
    networks={"encoder": entry("dann_features"), "classifier": entry("dann_classifier"),
              "generator": entry("dupgan_generator"),
              "disc_source": entry("dupgan_discriminator"),
              "disc_target": entry("dupgan_discriminator")},
    lr={"encoder": "e_lr", "generator": "g_lr", "discriminator": "d_lr"},
    optimizers=dupgan_optimizers, check=check,
    summary="Duplex GAN: class-preserving translation both ways (Hu et al. 2018)")
