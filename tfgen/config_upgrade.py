"""Reading a config that an older tfgen wrote (a workdir's ``config.json``).

Before per-method configs, every config held the union of all methods'
fields, network entries named ``dcgan``/``mlp``/``coopnets``/``ctrl``/...
per slot and carried fields their network ignored, and CoopNets' descriptor
sat in ``net.discriminator``. :func:`upgrade` maps such a config onto
today's fields for its method, keeping every value that the old trainer
used, so that a resume compares like with like and ``tools/export.py``
can rebuild an old run. It is applied to stored configs only: a user's
config with an unknown field is an error (``tfgen.config.check``).
"""

from __future__ import annotations

import json

import ml_collections

from tfgen import builders, networks

# (role, old name) → today's network name.
_RENAMES = {
    ("generator", "dcgan"): "dcgan_generator", ("generator", "mlp"): "mlp_generator",
    ("critic", "dcgan"): "dcgan_discriminator", ("critic", "mlp"): "mlp_discriminator",
    ("critic", "coopnets"): "coopnets_descriptor",
    ("encoder", "ctrl"): "ctrl_encoder", ("encoder", "resnet18"): "resnet18_encoder",
    ("encoder", "resnet50"): "resnet50_encoder",
    ("encoder", "resnet101"): "resnet101_encoder",
    ("decoder", "ctrl"): "ctrl_decoder", ("decoder", "sngan"): "sngan_decoder",
    ("decoder", "de8"): "sngan_decoder",
}
# Slots that older versions named differently.
_OLD_SLOTS = {"descriptor": "discriminator"}


def _network(old: dict, role: str) -> dict:
    name = _RENAMES.get((role, old.get("name")), old.get("name"))
    if name not in networks.NETWORKS:
        return dict(old)  # building it names the problem
    valid = networks.NETWORKS[name].fields()
    return networks.entry(name, **{k: v for k, v in old.items() if k in valid})


def upgrade(config) -> ml_collections.ConfigDict:
    """``config`` (a ConfigDict or dict) with its method's fields of today."""
    d = json.loads(config.to_json_best_effort()) if hasattr(config, "to_json_best_effort") \
        else json.loads(json.dumps(dict(config)))
    method = builders.method(d.get("method", "adversarial"))
    fresh = json.loads(_base(method.name).to_json_best_effort())
    old_net = d.get("net", {})
    net = {}
    for slot, role in method.slots.items():
        entry = old_net.get(slot, old_net.get(_OLD_SLOTS.get(slot, slot)))
        net[slot] = _network(entry, role) if isinstance(entry, dict) else fresh["net"][slot]
    if method.latent:
        net["latent_dim"] = old_net.get("latent_dim", fresh["net"]["latent_dim"])
    d["net"] = net
    old_model = d.get("model", {})
    d["model"] = {k: old_model.get(k, v) for k, v in fresh["model"].items()}
    optim = {k: v for k, v in d.get("optim", {}).items() if not k.endswith("_lr")}
    for field in method.lr_fields():
        optim[field] = d.get("optim", {}).get(field, fresh["optim"][field])
    d["optim"] = optim
    for section in ("data", "train", "export", "eval"):
        d[section] = {**fresh[section], **d.get(section, {})}
    return ml_collections.ConfigDict(d)


def _base(method: str):
    from tfgen import config as config_lib

    return config_lib.base_config(method)
