"""The configuration every experiment shares.

Each ``configs/<method>_<dataset>.py`` returns a recipe from
:mod:`tfgen.recipes` (built on :func:`base_config`) and changes what its
experiment needs; ``tools/train.py`` loads it with ``lock_config=True`` so
a mistyped ``--config.key`` fails with the valid keys.
"""

from __future__ import annotations

import json

import ml_collections


def base_config() -> ml_collections.ConfigDict:
    """Defaults for every method (fields a method does not use are ignored)."""
    c = ml_collections.ConfigDict()
    c.method = "adversarial"
    c.seed = 0

    c.data = ml_collections.ConfigDict()
    c.data.name = "mnist5k"
    c.data.data_dir = ""  # '' = $TFGEN_DATA_DIR
    c.data.batch_size = 64  # global batch, split over replicas
    c.data.image_size = 0  # 0 = native; e.g. 32 resizes 28x28 MNIST

    c.net = ml_collections.ConfigDict()
    c.net.latent_dim = 64
    # Each builder takes the fields it knows (width/upsample: dcgan;
    # hidden/activation: mlp).
    c.net.generator = ml_collections.ConfigDict(dict(
        name="dcgan", width=64, upsample="transpose", hidden=(128, 128),
        activation="relu"))
    c.net.discriminator = ml_collections.ConfigDict(dict(
        name="dcgan", width=64, hidden=(128, 128), activation="relu"))

    c.model = ml_collections.ConfigDict()
    c.model.loss = "non_saturating"
    c.model.n_critic = 1
    c.model.clip_value = 0.0
    c.model.gp_weight = 0.0
    c.model.r1_weight = 0.0
    c.model.prior = "normal"
    c.model.ema_decay = 0.0
    # Cooperative methods (CoopNets, Algorithms D and G, CoopInit).
    c.model.langevin_steps = 10  # l_D (CoopNets) or T (CoopInit)
    c.model.step_size = 0.002  # delta (CoopNets eq. 4) or eta (CoopInit eq. 4)
    c.model.ref_std = 1.0  # s, the descriptor's Gaussian reference
    c.model.gen_noise_std = 0.3  # sigma, the generator's noise
    c.model.add_gen_noise = False  # CoopNets G0: Y^ = g(X^) + e (Algorithm 1); recipe: on
    c.model.infer_steps = 0  # l_G; 0 = infer X~ = X^ (CoopNets' default)
    c.model.infer_step_size = 0.1
    c.model.clip_revised = False  # CoopNets: project revisions into [-1, 1]
    c.model.coop_examples = 0  # N_coop of CoopInit
    # Closed-loop transcription (CTRL, CoA-CTRL).
    c.model.eps_sq = 0.5
    c.model.coa_ratio = 0.0  # 0 = CTRL; > 0 = CoA-CTRL's learning-rate ratio

    c.optim = ml_collections.ConfigDict()
    c.optim.name = "adam"  # adam | rmsprop | sgd
    c.optim.g_lr = 2e-4
    c.optim.d_lr = 2e-4
    c.optim.beta1 = 0.5
    c.optim.beta2 = 0.999

    c.train = ml_collections.ConfigDict()
    c.train.steps = 2000
    c.train.checkpoint_every = 250  # steps; also the Keras epoch length
    c.train.sample_every = 500  # steps; PNG grid + TensorBoard image
    c.train.log_every = 50  # steps between TensorBoard scalar writes
    c.train.jit_compile = False
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


def to_json(config: ml_collections.ConfigDict) -> str:
    return config.to_json_best_effort(indent=2, sort_keys=True)


def from_json(text: str) -> ml_collections.ConfigDict:
    return ml_collections.ConfigDict(json.loads(text))


def check(config) -> None:
    """Cross-field checks with one-line errors that say how to fix them."""
    t = config.train
    if t.steps <= 0:
        raise ValueError(f"train.steps must be > 0, got {t.steps}")
    if t.checkpoint_every <= 0:
        raise ValueError(
            f"train.checkpoint_every must be > 0, got {t.checkpoint_every}")
    if config.data.batch_size <= 0:
        raise ValueError(f"data.batch_size must be > 0, got {config.data.batch_size}")
    if config.net.latent_dim < 1:
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


def toy_mixture_config(dataset: str = "ring8") -> ml_collections.ConfigDict:
    """Base config for the 2-D mixtures: small MLPs, batch 256, latent size 2."""
    c = base_config()
    c.data.name = dataset
    c.data.batch_size = 256
    c.net.latent_dim = 2
    c.net.generator.name = "mlp"
    c.net.generator.hidden = (128, 128, 128)
    c.net.discriminator.name = "mlp"
    c.net.discriminator.hidden = (128, 128, 128)
    c.optim.g_lr = 1e-3
    c.optim.d_lr = 1e-3
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
    c = base_config()
    c.method = "coa_ctrl" if coa_ratio > 0 else "ctrl"
    c.data.name = dataset
    c.data.image_size = 32
    c.data.batch_size = 256
    c.net.latent_dim = 128
    c.net.encoder = ml_collections.ConfigDict(dict(name="ctrl", width=64))
    c.net.generator = ml_collections.ConfigDict(dict(name="ctrl", width=64))
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
