"""Declarations of the two-domain translation methods: CycleGAN and DiscoGAN.

Both are ``tfgen.models.two_domain.TwoDomainGame`` on the ``unpaired`` kind:
``data.name`` is domain A, ``data.target`` domain B, e.g.
``mnist2mnistm_like@a`` and ``mnist2mnistm_like@b`` (``tfgen.data.unpaired``:
disjoint halves of row-aligned renderings, so test counterparts are known).
G (``g_ab``) is built for (A's shape → B's shape), F (``g_ba``) for the
reverse, D_A and D_B for their domain's images. Players: ``generators``
(G and F, ``optim.g_lr``) and ``discriminators`` (D_A and D_B,
``optim.d_lr``); both papers use Adam at 2e-4 with β₁ = 0.5.

* ``cyclegan`` (Zhu et al. 2017): ResNet-block generators
  (``resnet_generator``; ``unet_generator`` is the paper's option), PatchGAN
  discriminators (``patchgan_discriminator``, one image each), LSGAN loss,
  λ = 10, history buffers of 50, identity loss off (``model.identity_ratio
  = 0.5`` turns on the paper's 0.5·λ; domains of equal shape only).
* ``discogan`` (Kim et al. 2017): encoder–decoder generators and DCGAN-like
  discriminators (``networks.discogan``), the cross-entropy GAN loss, mean
  squared reconstruction error weighed 1, no buffer, no identity loss.
"""

from __future__ import annotations

from tfgen.builders.spec import Method
from tfgen.models.two_domain import TwoDomainGame
from tfgen.networks import entry


def shapes(info) -> dict:
    """Each slot's shape from the data's two streams."""
    a, b = info.streams["a"].shape, info.streams["b"].shape
    return {"g_ab": (a, b), "g_ba": (b, a), "d_a": a, "d_b": b}


def check(config) -> None:
    if not config.data.target:
        raise ValueError(f"{config.method} translates between data.name (domain A) and "
                         "data.target (domain B): set data.target, e.g. "
                         "--config.data.name=mnist2mnistm_like@a "
                         "--config.data.target=mnist2mnistm_like@b")


_LR = {"generators": "g_lr", "discriminators": "d_lr"}

CYCLEGAN = Method(
    name="cyclegan", model=TwoDomainGame,
    slots={"g_ab": "translator", "g_ba": "translator",
           "d_a": "patch_critic", "d_b": "patch_critic"},
    networks={"g_ab": entry("resnet_generator"), "g_ba": entry("resnet_generator"),
              "d_a": entry("patchgan_discriminator"),
              "d_b": entry("patchgan_discriminator")},
    lr=_LR, check=check, shapes=shapes,
    summary="unpaired translation with cycle consistency (Zhu et al. 2017)")

DISCOGAN = Method(
    name="discogan", model=TwoDomainGame,
    slots={"g_ab": "translator", "g_ba": "translator",
           "d_a": "critic", "d_b": "critic"},
    networks={"g_ab": entry("discogan_generator"), "g_ba": entry("discogan_generator"),
              "d_a": entry("discogan_discriminator"),
              "d_b": entry("discogan_discriminator")},
    lr=_LR, check=check, shapes=shapes,
    defaults={"adversarial": "gan", "reconstruction": "l2", "cycle_weight": 1.0,
              "identity_ratio": 0.0, "history_size": 0},
    summary="cross-domain relations by reconstruction in both domains (Kim et al. 2017)")
