"""What a method declares beside its builder, and the one generic build.

A :class:`Method` names the model class (whose ``hparams`` are the
method's ``model.*`` config fields), the network slots and the role each
needs, the default network of each slot on image data, and which learning
rate field each player's optimizer reads. :func:`build` turns a config and
the data's info into the compiled-ready model and its optimizers; a method
with special optimizers (CTRL's decays) supplies its own ``optimizers``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import keras

from tfgen import networks
from tfgen.data import check_shape

# Model hyper-parameters that come from the data or from ``net``, not ``model``.
FROM_DATA = ("num_classes",)
FROM_NET = ("latent_dim",)


@dataclasses.dataclass(frozen=True)
class Method:
    """A method's declarations (see docs/DESIGN.md).

    Attributes:
      name: ``config.method``.
      model: the ``tfgen.models.base.Game`` subclass.
      slots: network slot (a model network attribute) → role (see
        ``tfgen.networks.ROLES``).
      networks: slot → default config entry on image data
        (``tfgen.networks.entry``).
      lr: player → the ``optim`` field with its learning rate.
      check: optional ``check(config)`` for cross-field rules.
      optimizers: optional ``optimizers(config, model) -> {player: opt}``.
      summary: one line for ``--help`` and the docs.
      defaults: ``model.*`` defaults of this method that differ from the
        model class's (two methods may share one class).
      shapes: optional ``shapes(info) -> {slot: shape}`` for slots whose
        network is not built for ``info.shape`` (the primary stream), e.g. a
        ``translator`` built for (a's shape, b's shape) or a Pix2Pix critic
        for a and b concatenated on channels; those slots skip the example
        shape check (their shapes come from the data's streams).
    """

    name: str
    model: type
    slots: dict
    networks: dict
    lr: dict
    check: Callable | None = None
    optimizers: Callable | None = None
    summary: str = ""
    defaults: dict = dataclasses.field(default_factory=dict)
    shapes: Callable | None = None

    @property
    def latent(self) -> bool:
        return "latent_dim" in self.model.all_hparams()

    def model_fields(self) -> dict:
        """The ``model.*`` config fields and their defaults."""
        out = {k: v for k, v in self.model.all_hparams().items()
               if k not in FROM_DATA + FROM_NET}
        return {**out, **self.defaults}

    def net_fields(self) -> dict:
        out = dict(self.networks)
        if self.latent:
            out["latent_dim"] = self.model.all_hparams()["latent_dim"]
        return out

    def lr_fields(self) -> tuple:
        return tuple(sorted(set(self.lr.values())))


def optimizer(optim_cfg, lr, mixed_precision: bool = False):
    """An optimizer from the ``optim`` config entry with learning rate ``lr``."""
    name = optim_cfg.name
    if name == "adam":
        opt = keras.optimizers.Adam(lr, beta_1=optim_cfg.beta1, beta_2=optim_cfg.beta2)
    elif name == "rmsprop":
        opt = keras.optimizers.RMSprop(lr)
    elif name == "sgd":
        opt = keras.optimizers.SGD(lr)
    else:
        raise ValueError(f"unknown optimizer {name!r}; valid: adam, rmsprop, sgd")
    if mixed_precision:
        opt = keras.optimizers.LossScaleOptimizer(opt)
    return opt


def build(method: Method, config, info):
    """(model, {player: optimizer}) for ``config`` on data ``info``.

    Called inside the strategy scope. Networks are built from ``net.<slot>``
    for the data's example shape; the model takes ``model.*`` as is (its
    constructor rejects unknown fields), plus ``latent_dim`` from ``net``
    and ``num_classes`` from the data where it declares them.
    """
    latent_dim = int(config.net.latent_dim) if method.latent else 0
    num_classes = int(getattr(info, "num_classes", 0) or 0)
    vocab_size = int(getattr(info, "vocab_size", 0) or 0)
    shapes = method.shapes(info) if method.shapes is not None else {}
    nets = {slot: networks.build(slot, config.net[slot], role,
                                 shapes.get(slot, info.shape), latent_dim,
                                 num_classes, vocab_size=vocab_size)
            for slot, role in method.slots.items()}
    for slot, role in method.slots.items():
        if role in networks.SEQUENCE_ROLES + networks.FEATURE_ROLES or slot in shapes:
            continue  # built for the data's length and vocabulary, or features
        net = nets[slot]
        # Generators and decoders make examples; critics and encoders read them
        # (a conditional critic's first input is the example).
        makes = role in ("generator", "decoder", "conditional_generator")
        shape = net.output_shape if makes else net.input_shape
        shape = (shape[0] if isinstance(shape, list) else shape)[1:]
        check_shape(info.shape, shape, config.data.name)
    kwargs = dict(config.model)
    hp = method.model.all_hparams()
    if method.latent:
        kwargs["latent_dim"] = latent_dim
    if "num_classes" in hp:
        kwargs["num_classes"] = info.num_classes
    model = method.model(**nets, seed=config.seed, **kwargs)
    if method.optimizers is not None:
        return model, method.optimizers(config, model)
    mp = config.train.mixed_precision
    opts = {p: optimizer(config.optim, config.optim[field], mp)
            for p, field in method.lr.items()}
    return model, opts
