"""Network builders returning functional keras.Models (no training logic).

:data:`NETWORKS` is the one table of networks a config can name
(``net.<slot>.name``). Each entry has a role, which fixes how it is called
and which model slots may use it:

* ``generator``: latents [B, latent_dim] → examples, ``fn(latent_dim, shape)``;
* ``critic``: examples → one score each (discriminators, critics and
  descriptors alike), ``fn(shape)``;
* ``encoder``: images → latent_dim features, ``fn(shape, latent_dim)``;
* ``decoder``: latent_dim features → images, ``fn(shape, latent_dim)``;
* ``conditional_generator``: [latents, labels] → examples,
  ``fn(latent_dim, shape, num_classes)`` (cGAN, AC-GAN);
* ``conditional_critic``: [examples, labels] → one score each,
  ``fn(shape, num_classes)`` (cGAN);
* ``classifying_critic``: examples → [score, K class logits],
  ``fn(shape, num_classes)`` (AC-GAN);
* ``joint_critic``: [examples, latents] → one score each,
  ``fn(shape, latent_dim)`` (BiGAN / ALI's D(x, z));
* ``sequence_generator`` / ``sequence_critic``: token networks built for
  the data's vocabulary and length, ``fn(vocab_size, length)`` (SeqGAN);
* ``feature_classifier``: features [B, latent_dim] → K class logits,
  ``fn(latent_dim, num_classes)``; ``feature_critic``: features → one
  logit, ``fn(latent_dim)`` (DANN's label predictor and domain classifier).
* ``translator``: images of one domain → images of another,
  ``fn(in_shape, out_shape)``; :func:`build` takes ``shape`` as the pair
  (in_shape, out_shape) for this role (Pix2Pix, CycleGAN, DiscoGAN);
* ``patch_critic``: images → a map of logits [B, h, w, 1], one per patch,
  ``fn(shape)``; ``shape`` may be two images concatenated on channels
  (Pix2Pix's D(a, b)) or one image (CycleGAN's D_A, D_B).
* ``class_critic``: examples → K + 1 logits (K classes and "fake"),
  ``fn(shape, num_classes)`` (DupGAN's discriminators).

A config entry holds the name and only the keyword arguments that network
takes; :func:`build` rejects any other field, naming the valid ones.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Callable

from tfgen.networks import infogan, ssgan
from tfgen.networks import bigan, conditional, ctrl, dcgan, energy, mlp, resnet
from tfgen.networks import sequence
from tfgen.networks import domain
from tfgen.networks import dupgan
from tfgen.networks import patchgan, unet
from tfgen.networks import discogan, resnet_generator


@dataclasses.dataclass(frozen=True)
class Network:
    role: str
    fn: Callable

    def fields(self) -> dict:
        """The config fields of this network: keyword arguments and defaults."""
        params = inspect.signature(self.fn).parameters
        skip = {"latent_dim", "image_shape", "nz", "name", "num_classes",
                "vocab_size", "length"}
        return {k: p.default for k, p in params.items()
                if k not in skip and p.default is not inspect.Parameter.empty}


def _needs_classes(call):
    """Marks a role's call as needing K >= 2 classes (checked by :func:`build`)."""
    call.needs_classes = True
    return call


# Role -> the positional arguments its networks take, from (shape, latent_dim,
# num_classes, vocab_size); the module docstring lists the same conventions.
ROLE_CALLS = {
    "generator": lambda s, d, k, v: (d, s),
    "critic": lambda s, d, k, v: (s,),
    "encoder": lambda s, d, k, v: (s, d),
    "decoder": lambda s, d, k, v: (s, d),
    "conditional_generator": _needs_classes(lambda s, d, k, v: (d, s, k)),
    "conditional_critic": _needs_classes(lambda s, d, k, v: (s, k)),
    "classifying_critic": _needs_classes(lambda s, d, k, v: (s, k)),
    "joint_critic": lambda s, d, k, v: (s, d),
    "sequence_generator": lambda s, d, k, v: (v, int(s[0])),
    "sequence_critic": lambda s, d, k, v: (v, int(s[0])),
    "feature_classifier": lambda s, d, k, v: (d, k),
    "feature_critic": lambda s, d, k, v: (d,),
    "translator": lambda s, d, k, v: (tuple(s[0]), tuple(s[1])),
    "patch_critic": lambda s, d, k, v: (s,),
    "class_critic": _needs_classes(lambda s, d, k, v: (s, k)),
}
ROLES = tuple(ROLE_CALLS)
SEQUENCE_ROLES = ("sequence_generator", "sequence_critic")
# Roles that read features, not examples (no example-shape check).
FEATURE_ROLES = ("feature_classifier", "feature_critic")
NETWORKS = {
    "infogan_generator": Network("generator", infogan.infogan_generator),
    "infogan_discriminator": Network("critic", infogan.infogan_discriminator),
    "ssgan_generator": Network("generator", ssgan.ssgan_generator),
    "ssgan_discriminator": Network("classifying_critic", ssgan.ssgan_discriminator),
    "dcgan_generator": Network("generator", dcgan.dcgan_generator),
    "mlp_generator": Network("generator", mlp.mlp_generator),
    "dcgan_discriminator": Network("critic", dcgan.dcgan_discriminator),
    "mlp_discriminator": Network("critic", mlp.mlp_discriminator),
    "coopnets_descriptor": Network("critic", energy.coopnets_descriptor),
    "ctrl_encoder": Network("encoder", ctrl.ctrl_encoder),
    "resnet18_encoder": Network("encoder", resnet.resnet18_encoder),
    "resnet50_encoder": Network("encoder", resnet.resnet50_encoder),
    "resnet101_encoder": Network("encoder", resnet.resnet101_encoder),
    "ctrl_decoder": Network("decoder", ctrl.ctrl_decoder),
    # SNGAN's ResNet generator, the CoA-CTRL paper's "De8".
    "sngan_decoder": Network("decoder", resnet.sngan_decoder),
    "lstm_generator": Network("sequence_generator", sequence.lstm_generator),
    "cnn_discriminator": Network("sequence_critic", sequence.cnn_discriminator),
    "cgan_generator": Network("conditional_generator", conditional.cgan_generator),
    "cgan_discriminator": Network("conditional_critic", conditional.cgan_discriminator),
    "acgan_discriminator": Network("classifying_critic", conditional.acgan_discriminator),
    "bigan_encoder": Network("encoder", bigan.bigan_encoder),
    "bigan_gaussian_encoder": Network("encoder", bigan.bigan_gaussian_encoder),
    "bigan_generator": Network("generator", bigan.bigan_generator),
    "bigan_joint_discriminator": Network("joint_critic", bigan.bigan_joint_discriminator),
    "ali_joint_discriminator": Network("joint_critic", bigan.ali_joint_discriminator),
    "dann_features": Network("encoder", domain.dann_features),
    "dann_classifier": Network("feature_classifier", domain.dann_classifier),
    "dann_domain_classifier": Network("feature_critic", domain.dann_domain_classifier),
    "dupgan_generator": Network("decoder", dupgan.dupgan_generator),
    "dupgan_discriminator": Network("class_critic", dupgan.dupgan_discriminator),
    "unet_generator": Network("translator", unet.unet_generator),
    "patchgan_discriminator": Network("patch_critic", patchgan.patchgan_discriminator),
    "resnet_generator": Network("translator", resnet_generator.resnet_generator),
    "discogan_generator": Network("translator", discogan.discogan_generator),
    "discogan_discriminator": Network("critic", discogan.discogan_discriminator),
}


def names_for(role: str) -> list:
    return sorted(n for n, net in NETWORKS.items() if net.role == role)


def entry(name: str, **fields) -> dict:
    """A config entry for network ``name``: its defaults, updated by ``fields``."""
    if name not in NETWORKS:
        raise ValueError(f"unknown network {name!r}; valid: {', '.join(sorted(NETWORKS))}")
    defaults = NETWORKS[name].fields()
    unknown = set(fields) - set(defaults)
    if unknown:
        raise ValueError(f"network {name} has no field {sorted(unknown)[0]!r}; its "
                         f"fields: {', '.join(sorted(defaults)) or 'none'}")
    return dict(name=name, **{**defaults, **fields})


def build(slot: str, cfg, role: str, shape, latent_dim: int = 0, num_classes: int = 0,
          vocab_size: int = 0):
    """Builds the network that config entry ``cfg`` (``net.<slot>``) names.

    Args:
      slot: the model's name for the network (for messages).
      cfg: mapping with ``name`` and that network's keyword arguments.
      role: the role the slot needs (one of :data:`ROLES`).
      shape: one example's shape; for the ``translator`` role the pair
        (in_shape, out_shape).
      latent_dim: latent or feature width (generators, encoders, decoders).
      num_classes: K, for the conditional roles.
      vocab_size: V, for the sequence roles (token data).
    """
    name = cfg["name"]
    if name not in NETWORKS or NETWORKS[name].role != role:
        raise ValueError(f"net.{slot}.name {name!r} is not a {role} network; valid: "
                         f"{', '.join(names_for(role))}")
    net = NETWORKS[name]
    valid = net.fields()
    kwargs = {k: tuple(v) if isinstance(v, list) else v
              for k, v in dict(cfg).items() if k != "name"}
    unknown = sorted(set(kwargs) - set(valid))
    if unknown:
        raise ValueError(f"net.{slot} has field {unknown[0]!r}, which {name} does not "
                         f"take; its fields: {', '.join(sorted(valid)) or 'none'}")
    call = ROLE_CALLS[role]
    if getattr(call, "needs_classes", False) and num_classes < 2:
        raise ValueError(f"net.{slot}: {name} needs labelled data with at least 2 "
                         f"classes (got num_classes={num_classes})")
    args = call(tuple(shape), latent_dim, num_classes, int(vocab_size))
    return net.fn(*args, **kwargs)

def register(name: str, role: str, fn: Callable) -> None:
    """Adds a network to the table (plug-ins, tests); a name is registered once."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; valid: {', '.join(ROLES)}")
    if name in NETWORKS and NETWORKS[name].fn is not fn:
        raise ValueError(f"network {name!r} is already registered")
    NETWORKS[name] = Network(role, fn)
