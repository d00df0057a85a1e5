"""Each method's settings for a dataset: what ``configs/*.py`` are made of.

One function per method family returns a complete config for a named
dataset. Image datasets (mnist, fashion_mnist, stacked_mnist, ...) start from
:func:`tfgen.config.base_config` with 5,000 steps; the 2-D mixtures (ring8,
grid25) from :func:`tfgen.config.toy_mixture_config` (small MLPs, batch
256, 2,000 steps). A file in ``configs/`` names the experiment, says where
its numbers come from, and changes what differs from the recipe.
"""

from __future__ import annotations

import ml_collections

from tfgen.config import base_config, ctrl_config, set_network, toy_mixture_config

MIXTURES = ("ring8", "grid25")


def start(dataset: str, method: str = "adversarial") -> ml_collections.ConfigDict:
    """``method``'s base config for ``dataset``: MLPs for mixtures, its image
    networks otherwise."""
    if dataset in MIXTURES:
        return toy_mixture_config(dataset, method)
    c = base_config(method)
    c.data.name = dataset
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c


def gan(dataset: str, loss: str = "non_saturating",
        method: str = "adversarial") -> ml_collections.ConfigDict:
    """GAN / DCGAN (``non_saturating``, ``minimax``) or LSGAN (``least_squares``)."""
    c = start(dataset, method)
    c.model.loss = loss
    return c


def wgan(dataset: str) -> ml_collections.ConfigDict:
    """WGAN with weight clipping (Arjovsky et al. 2017, Algorithm 1): RMSProp,
    c = 0.01, n_critic = 5; learning rate 5e-4 instead of 5e-5 for short runs."""
    c = gan(dataset, "wasserstein")
    c.model.clip_value = 0.01
    c.model.n_critic = 5
    c.optim.name = "rmsprop"
    c.optim.g_lr = c.optim.d_lr = 5e-4
    return c


def wgangp(dataset: str) -> ml_collections.ConfigDict:
    """WGAN-GP (Gulrajani et al. 2017): two-sided penalty, n_critic = 5.

    Images: the defaults of the paper's Algorithm 1, lambda = 10, n_critic =
    5, Adam(alpha = 1e-4, beta1 = 0, beta2 = 0.9). (The authors' released
    MNIST script uses beta1 = 0.5; the WGAN-GP image results in
    docs/BENCHMARKS.md dated before this change were measured with 0.5.)
    2-D mixtures: lambda = 0.1 and Adam betas (0.5, 0.9) as in the paper's
    released toy-data script, with the mixtures' Adam(1e-3) so that a short
    run gets there.
    """
    c = gan(dataset, "wasserstein")
    c.model.n_critic = 5
    if dataset in MIXTURES:
        c.model.gp_weight = 0.1
        c.optim.beta1, c.optim.beta2 = 0.5, 0.9
        return c
    c.model.gp_weight = 10.0
    c.optim.g_lr = c.optim.d_lr = 1e-4
    c.optim.beta1, c.optim.beta2 = 0.0, 0.9
    return c


def coopnets(dataset: str) -> ml_collections.ConfigDict:
    """CoopNets (Xie et al. 2018, Algorithm 1), l_D = 10, X~ = X^.

    Step G0 draws Y^ = g(X^) + e, e ~ N(0, sigma^2 I), as Algorithm 1 does
    (``model.add_gen_noise``). On MNIST at 500 steps (one seed, 1,000
    samples) the noise gave classifier distance 1223 against 1361 without it,
    with the same classifier score (4.06 / 4.04) and recall (0.18 / 0.18);
    the numbers below were measured without it.

    Images: the descriptor of the paper's Sec. 5.2 and a DCGAN generator;
    Langevin step delta = 0.002 (the paper's Sec. 5) with the reference
    s = 0.016 and sigma = 0.3 of the authors' TensorFlow release, descriptor
    Adam(1e-3), generator Adam(5e-4). On MNIST at 500 steps this scored
    classifier distance 1250 against 1785 for the earlier step 0.02, s = 1,
    Adam(1e-4) recipe (docs/BENCHMARKS.md, "CoopNets recipe"). 2-D: MLPs,
    step 0.05, sigma = 0.1, Adam(1e-3).
    """
    c = start(dataset, "coopnets")
    c.model.langevin_steps = 10
    c.model.add_gen_noise = True
    if dataset in MIXTURES:
        c.model.step_size = 0.05
        c.model.gen_noise_std = 0.1
        c.optim.g_lr = c.optim.d_lr = 1e-3
        return c
    c.model.step_size = 0.002
    c.model.ref_std = 0.016
    c.model.gen_noise_std = 0.3
    c.optim.d_lr = 1e-3
    c.optim.g_lr = 5e-4
    return c


def descriptor(dataset: str) -> ml_collections.ConfigDict:
    """Algorithm D alone: short-run Langevin chains (60 steps) from the
    reference distribution. Its export's sample part runs those chains."""
    c = start(dataset, "descriptor")
    c.model.langevin_steps = 60
    if dataset in MIXTURES:
        c.model.step_size = 0.05
        c.optim.d_lr = 1e-3
        return c
    c.model.step_size = 0.02
    c.optim.d_lr = 1e-4
    c.train.steps = 3000
    c.train.sample_every = 500
    return c


def alternating_backprop(dataset: str) -> ml_collections.ConfigDict:
    """Algorithm G alone (Han et al. 2017): 30 Langevin steps of latent
    inference (eq. 9), then regression (eq. 10)."""
    c = start(dataset, "alternating_backprop")
    c.model.infer_steps = 30
    c.model.infer_step_size = 0.1
    if dataset in MIXTURES:
        c.model.gen_noise_std = 0.1
        c.optim.g_lr = 1e-3
        return c
    c.net.latent_dim = 32
    c.model.gen_noise_std = 0.3
    c.optim.g_lr = 3e-4
    c.train.steps = 3000
    return c


def coopinit(dataset: str) -> ml_collections.ConfigDict:
    """CoopInit then the non-saturating GAN, T = 10 Langevin steps.

    Images: eta = 1.0 as the paper recommends, N_coop = 64,000 examples
    (1,001 cooperative steps of 64: Algorithm 2 cooperates while N <= N_coop,
    N counting the examples before each step). 2-D: eta = 0.05, N_coop =
    256,000 (1,001 cooperative steps of 256).
    """
    c = gan(dataset, method="coopinit")
    c.model.langevin_steps = 10
    if dataset in MIXTURES:
        c.model.coop_examples = 256_000
        c.model.step_size = 0.05
        return c
    c.model.coop_examples = 64_000
    c.model.step_size = 1.0
    return c


def ctrl(dataset: str, coa_ratio: float = 0.0,
         encoder: str = "dcgan") -> ml_collections.ConfigDict:
    """CTRL (``coa_ratio`` 0) or CoA-CTRL, CoA-CTRL appendix A.2.

    ``encoder="dcgan"``: the "normal" DCGAN-style pair (A.2.1); CIFAR-10 uses
    batch 512, Adam betas (0.5, 0.9) and 20,000 iterations. ``"resnet18"``:
    the deep-encoder setting (A.2.2), a pre-activation ResNet-18 encoder at
    batch 512; on CIFAR-10 against SNGAN's De8 decoder for 100,000
    iterations, on MNIST against the shallow decoder.
    """
    c = ctrl_config(dataset, coa_ratio=coa_ratio)
    cifar = dataset == "cifar10"
    if cifar:
        c.data.image_size = 0  # native 32x32
        c.data.batch_size = 512
    if encoder == "resnet18":
        c.data.batch_size = 512
        set_network(c, "encoder", "resnet18_encoder", width=64)
        if cifar:
            set_network(c, "generator", "sngan_decoder", width=256)
            c.train.steps = 100_000
            c.train.checkpoint_every = 2000
    elif encoder != "dcgan":
        raise ValueError(f"unknown CTRL encoder setting {encoder!r}; use dcgan or resnet18")
    elif cifar:
        c.optim.beta1, c.optim.beta2 = 0.5, 0.9
        c.train.steps = 20_000
        c.train.checkpoint_every = 1000
    return c


def conditional_gan(method: str, dataset: str) -> ml_collections.ConfigDict:
    """cGAN (Mirza & Osindero 2014) or AC-GAN (Odena et al. 2017), 5,000 steps.

    DCGAN networks (Radford et al. 2016); non-saturating loss, Adam(2e-4,
    beta1 = 0.5), batch 64: the DCGAN settings (the cGAN paper predates
    them; AC-GAN's appendix uses them with batch 100). AC-GAN weights the
    class loss L_C by 1 for both players (its eqs. 2-3).
    docs/benchmarks/conditional_gans.md measured 2,000 steps.
    """
    c = base_config(method)
    c.data.name = dataset
    c.model.loss = "non_saturating"
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c


def numerics_ring8(method: str) -> ml_collections.ConfigDict:
    """Simultaneous updates or consensus optimization on ring8 (Mescheder et
    al. 2017, Sec. 5 and the released code): generator and discriminator of 4
    fully connected layers of 16 units, a 16-d latent, batch 512, RMSProp
    1e-4, gamma = 10 for consensus, no batch normalization; the steps are
    the mixtures' default (bench/consensus.py compares the two)."""
    c = toy_mixture_config("ring8", method)
    c.data.batch_size = 512
    c.net.latent_dim = 16
    set_network(c, "generator", "mlp_generator", hidden=(16,) * 4)
    set_network(c, "discriminator", "mlp_discriminator", hidden=(16,) * 4)
    c.optim.name = "rmsprop"
    c.optim.g_lr = c.optim.d_lr = 1e-4
    return c


def bigan_mnist(method: str) -> ml_collections.ConfigDict:
    """BiGAN or ALI on permutation-invariant MNIST (Donahue et al. 2017,
    Sec. 4.2): MLPs of 1024 units with leaky ReLUs (the bigan_* networks), a
    50-d latent from U[-1, 1], Adam(2e-4, beta1 = 0.5), batch 128; they train
    400 epochs (about 190,000 steps), this recipe 20,000."""
    c = base_config(method)
    c.data.name = "mnist"
    c.data.batch_size = 128
    c.net.latent_dim = 50
    c.model.prior = "uniform"
    c.optim.g_lr = c.optim.d_lr = 2e-4
    c.optim.beta1 = 0.5
    c.train.steps = 20000
    c.train.checkpoint_every = 1000
    c.train.sample_every = 1000
    return c


def domain_adaptation(method: str, source: str, target: str,
                      image_size: int = 0) -> ml_collections.ConfigDict:
    """DANN or its source-only baseline (Ganin et al. 2016, JMLR, Sec. 5.2.2):
    batch 128 split half source, half target (data.batch_size = 64 per
    domain), SGD with momentum 0.9 and mu_0 = 0.01 annealed as
    mu_0/(1+10p)^0.75, the MNIST networks of its Fig. 4 (dann_*). train.steps
    is ours (the schedules run over it)."""
    c = base_config(method)
    c.data.name = source
    c.data.target = target
    c.data.batch_size = 64
    c.data.image_size = image_size
    c.optim.name = "sgd"
    c.optim.base_lr = 0.01
    c.train.steps = 10_000
    return c


def two_domain(method: str, pair: str) -> ml_collections.ConfigDict:
    """CycleGAN or DiscoGAN between the halves ``PAIR@a`` and ``PAIR@b`` of an
    unpaired pair (``tfgen/data/unpaired.py``), batch 32, 2,000 steps.

    CycleGAN (Zhu et al. 2017) at 28/32 px: ResNet-block generators of width
    32 (the paper's 64) with 6 blocks, PatchGANs of width 64; DiscoGAN keeps
    its own encoder-decoder networks (its base config). The configs' files
    say how each number was scaled.
    """
    c = base_config(method)
    c.data.name, c.data.target = f"{pair}@a", f"{pair}@b"
    c.data.batch_size = 32
    if method == "cyclegan":
        for slot in ("g_ab", "g_ba"):
            set_network(c, slot, "resnet_generator", width=32, blocks=6)
        for slot in ("d_a", "d_b"):
            set_network(c, slot, "patchgan_discriminator", width=64)
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    return c
