"""The configuration every experiment shares.

Each ``configs/<method>_<dataset>.py`` returns a recipe from
:mod:`tfgen.recipes` (built on :func:`base_config`) and changes what its
experiment needs; ``tools/train.py`` loads it with ``lock_config=True`` so
a mistyped ``--config.key`` fails with the valid keys. The ``model``,
``net`` and ``optim`` learning-rate fields are each method's own
(declared beside its builder in ``tfgen.builders``); a field the method
does not use is an error.
"""

from __future__ import annotations

import json

import ml_collections


def base_config(method: str = "adversarial") -> ml_collections.ConfigDict:
    """Defaults of ``method``: the shared sections plus the method's own fields.

    ``model`` holds exactly the method's hyper-parameters, ``net`` its
    network slots (and ``latent_dim`` for latent models) and ``optim`` the
    learning rates its players read (``tfgen.builders``); :func:`check`
    rejects any other field.
    """
    from tfgen import builders

    m = builders.method(method)
    c = ml_collections.ConfigDict()
    c.method = method
    c.seed = 0

    c.data = ml_collections.ConfigDict()
    c.data.name = "mnist5k"
    c.data.data_dir = ""  # '' = $TFGEN_DATA_DIR
    c.data.batch_size = 64  # global batch, split over replicas
    c.data.image_size = 0  # 0 = native; e.g. 32 resizes 28x28 MNIST
    # Second source of two-source data kinds (unpaired: domain B;
    # semi_supervised: the unlabelled target, '' = data.name itself).
    c.data.target = ""
    c.data.labelled_examples = 0  # semi_supervised: labelled subset size (0 = all)

    c.net = ml_collections.ConfigDict(
        {k: dict(v) if isinstance(v, dict) else v for k, v in m.net_fields().items()})
    c.model = ml_collections.ConfigDict(m.model_fields())

    c.optim = ml_collections.ConfigDict()
    c.optim.name = "adam"  # adam | rmsprop | sgd
    for field in m.lr_fields():
        c.optim[field] = 2e-4
    c.optim.beta1 = 0.5
    c.optim.beta2 = 0.999

    c.train = ml_collections.ConfigDict()
    c.train.steps = 2000
    c.train.checkpoint_every = 250  # steps; also the Keras epoch length
    # Also keep every checkpoint whose step is a multiple of this (0: none) in
    # checkpoints/kept/, beyond the last 3 (bench/posthoc_average.py).
    c.train.keep_every = 0
    c.train.sample_every = 500  # steps; PNG grid + TensorBoard image
    c.train.log_every = 50  # steps between TensorBoard scalar writes
    c.train.jit_compile = False
    # Steps per call into the compiled loop (Keras' steps_per_execution): the
    # same bits, less Python per step. Callbacks then run every that many
    # steps; the fit loop lowers it to divide every interval (fit_loop).
    c.train.steps_per_execution = 1
    c.train.mixed_precision = False
    c.train.cpu_replicas = 0  # >1: mirror over that many logical CPUs
    c.train.num_sample_images = 64
    c.train.data_autotune = "auto"  # tf.data autotuning: auto | on | off
    # GPU kernels may reduce in any order; True makes them repeatable (slower).
    # CPU runs are bit-identical without it (tests/test_training_robustness.py).
    c.train.deterministic = False

    c.export = ml_collections.ConfigDict()
    c.export.enabled = True

    c.eval = ml_collections.ConfigDict()
    c.eval.every = 0  # steps; 0 = no periodic evaluation
    c.eval.metrics = ""  # comma-separated, see tools/evaluate.py
    c.eval.num_samples = 2000
    return c


def set_network(config, slot: str, name: str, **fields) -> None:
    """Replaces ``net.<slot>`` by network ``name`` with its defaults and ``fields``."""
    from tfgen import networks

    config.net[slot] = ml_collections.ConfigDict(networks.entry(name, **fields))


def to_json(config: ml_collections.ConfigDict) -> str:
    return config.to_json_best_effort(indent=2, sort_keys=True)


def from_json(text: str) -> ml_collections.ConfigDict:
    return ml_collections.ConfigDict(json.loads(text))


def from_file(path: str) -> ml_collections.ConfigDict:
    """``get_config()`` of the config file at ``path`` (a file of ``configs/``;
    one config may start from another's, as ``dcgan_mnist_best_fc_generator``
    does)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_tfgen_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def _section_errors(config, section: str, expected) -> None:
    have, want = set(config[section].keys()), set(expected)
    if have == want:
        return
    extra, missing = sorted(have - want), sorted(want - have)
    if extra:
        raise ValueError(f"{section}.{extra[0]} is not a field of method "
                         f"{config.method!r} (its {section} fields: "
                         f"{', '.join(sorted(want))}); remove it, or start from a "
                         f"config of the method that uses it")
    raise ValueError(f"{section}.{missing[0]} is missing for method {config.method!r}; "
                     f"start from tfgen.config.base_config({config.method!r}) or a "
                     "configs/ file of that method")


def check_method_fields(config) -> None:
    """The method's ``model``/``net``/``optim`` fields, no more and no fewer."""
    from tfgen import builders

    m = builders.method(config.method)
    _section_errors(config, "model", m.model_fields())
    _section_errors(config, "net", m.net_fields())
    lrs = {k for k in config.optim.keys() if k.endswith("_lr")}
    if lrs != set(m.lr_fields()):
        extra = sorted(lrs - set(m.lr_fields())) or sorted(set(m.lr_fields()) - lrs)
        raise ValueError(f"optim.{extra[0]}: method {config.method!r} reads the learning "
                         f"rates {', '.join(m.lr_fields())}")
    if m.check is not None:
        m.check(config)


def check(config) -> None:
    """Cross-field checks with one-line errors that say how to fix them."""
    check_method_fields(config)
    t = config.train
    if t.steps <= 0:
        raise ValueError(f"train.steps must be > 0, got {t.steps}")
    if t.checkpoint_every <= 0:
        raise ValueError(
            f"train.checkpoint_every must be > 0, got {t.checkpoint_every}")
    if t.keep_every < 0 or (t.keep_every and t.keep_every % t.checkpoint_every):
        raise ValueError(
            f"train.keep_every={t.keep_every} is not a multiple of train.checkpoint_every="
            f"{t.checkpoint_every}, so those steps are never saved; use a multiple of it, "
            "or 0 to keep only the last checkpoints")
    if t.steps_per_execution < 1:
        raise ValueError(f"train.steps_per_execution must be >= 1, got "
                         f"{t.steps_per_execution}; 1 runs one step per call")
    if config.data.batch_size <= 0:
        raise ValueError(f"data.batch_size must be > 0, got {config.data.batch_size}")
    if "latent_dim" in config.net and config.net.latent_dim < 1:
        raise ValueError(f"net.latent_dim must be >= 1, got {config.net.latent_dim}; "
                         "set --config.net.latent_dim to a positive size")
    replicas = t.cpu_replicas
    if replicas < 0:
        raise ValueError(f"train.cpu_replicas must be >= 0, got {replicas}")
    if replicas > 1 and config.data.batch_size % replicas:
        raise ValueError(
            f"data.batch_size {config.data.batch_size} does not split over "
            f"train.cpu_replicas={replicas}; use a batch size divisible by {replicas}")
    for key in ("log_every", "num_sample_images"):
        if t[key] < 1:
            raise ValueError(f"train.{key} must be >= 1, got {t[key]}")
    if t.sample_every < 0 or config.eval.every < 0:
        raise ValueError("train.sample_every and eval.every must be >= 0 (0 = never)")
    if config.eval.every > 0 and config.eval.metrics and config.eval.num_samples < 1:
        raise ValueError(f"eval.num_samples must be >= 1, got {config.eval.num_samples}")
    if str(t.data_autotune).lower() not in ("auto", "on", "off"):
        raise ValueError(f"train.data_autotune must be auto, on or off, got "
                         f"{t.data_autotune!r}")


def toy_mixture_config(dataset: str = "ring8",
                       method: str = "adversarial") -> ml_collections.ConfigDict:
    """Base config for the 2-D mixtures: small MLPs, batch 256, latent size 2."""
    from tfgen import builders

    c = base_config(method)
    c.data.name = dataset
    c.data.batch_size = 256
    if "latent_dim" in c.net:
        c.net.latent_dim = 2
    mlps = {"generator": "mlp_generator", "critic": "mlp_discriminator"}
    for slot, role in builders.method(method).slots.items():
        if role not in mlps:
            raise ValueError(f"method {method!r} has no MLP {role} for 2-D data")
        set_network(c, slot, mlps[role], hidden=(128, 128, 128))
    for field in c.optim.keys():
        if field.endswith("_lr"):
            c.optim[field] = 1e-3
    c.optim.beta2 = 0.9
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    c.train.sample_every = 500
    c.train.num_sample_images = 2500
    return c


def ctrl_config(dataset: str = "mnist", coa_ratio: float = 0.0) -> ml_collections.ConfigDict:
    """CTRL / CoA-CTRL with the CoA-CTRL appendix settings for MNIST (32x32):
    Adam(1e-4, betas (0.0, 0.9)) with linear decay, eps^2 = 0.5, nz = 128,
    batch 256, 10,000 iterations."""
    c = base_config("coa_ctrl" if coa_ratio > 0 else "ctrl")
    c.data.name = dataset
    c.data.image_size = 32
    c.data.batch_size = 256
    c.net.latent_dim = 128
    c.model.eps_sq = 0.5
    c.model.coa_ratio = coa_ratio
    c.optim.g_lr = 1e-4
    c.optim.d_lr = 1e-4
    c.optim.beta1 = 0.0
    c.optim.beta2 = 0.9
    c.train.steps = 10_000
    c.train.checkpoint_every = 500
    c.train.log_every = 1  # ΔR and R(Z ∪ Ẑ) at every iteration (the paper's Fig. 3)
    return c
