"""Pieces every builder uses: optimizers and networks from config entries."""

from __future__ import annotations

import inspect

import keras

from tfgen.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgen.networks.energy import coopnets_descriptor
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.registry import lookup

GENERATORS = {"dcgan": dcgan_generator, "mlp": mlp_generator}
# Critics, discriminators and descriptors all map a batch to one score each.
DISCRIMINATORS = {"dcgan": dcgan_discriminator, "mlp": mlp_discriminator,
                  "coopnets": coopnets_descriptor}


def network_kwargs(net_cfg) -> dict:
    """A network's config entry minus its name; tuples restored from JSON lists."""
    out = {}
    for k, v in net_cfg.items():
        if k != "name":
            out[k] = tuple(v) if isinstance(v, list) else v
    return out


def build_network(table: dict, net_cfg, kind: str, *args):
    """Calls ``table[net_cfg.name](*args, **only the kwargs it accepts)``."""

    fn = lookup(table, net_cfg.name, kind)
    params = inspect.signature(fn).parameters
    kwargs = {k: v for k, v in network_kwargs(net_cfg).items() if k in params}
    return fn(*args, **kwargs)


def optimizer(optim_cfg, lr: float, mixed_precision: bool = False):
    """An optimizer from the ``optim`` config entry with learning rate ``lr``."""
    name = optim_cfg.name
    if name == "adam":
        opt = keras.optimizers.Adam(lr, beta_1=optim_cfg.beta1,
                                    beta_2=optim_cfg.beta2)
    elif name == "rmsprop":
        opt = keras.optimizers.RMSprop(lr)
    elif name == "sgd":
        opt = keras.optimizers.SGD(lr)
    else:
        raise ValueError(f"unknown optimizer {name!r}; valid: adam, rmsprop, sgd")
    if mixed_precision:
        opt = keras.optimizers.LossScaleOptimizer(opt)
    return opt
