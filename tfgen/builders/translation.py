"""Paired image-to-image translation: Pix2Pix's declarations.

``model.*`` fields (``Pix2Pix.hparams``): ``objective`` (cgan_l1, l1, cgan:
the paper's ablations), ``loss`` (a key of
``tfgen.losses.ADVERSARIAL_LOSSES``), ``l1_weight`` (λ = 100),
``d_loss_weight`` (0.5, the paper's halved D objective). Networks: a
``translator`` (U-Net) built for (a's shape, b's shape) and a
``patch_critic`` (PatchGAN) for a and b concatenated on channels.
Optimizers: the generator reads ``optim.g_lr``, the discriminator
``optim.d_lr``. Data: kind ``paired`` (``mnist_edges``,
``fashion_mnist_edges``, ``cifar10_grey``, ``npz:PATH``, ``pairs:DIR``).
"""

from tfgen.builders.spec import Method
from tfgen.models.pix2pix import Pix2Pix
from tfgen.networks import entry


def shapes(info) -> dict:
    """Slot → shape: G maps a to b; D reads a and b stacked on channels."""
    a, b = (tuple(info.streams[s].shape) for s in ("a", "b"))
    return {"generator": (a, b), "discriminator": a[:-1] + (a[-1] + b[-1],)}


def check(config) -> None:
    if config.data.target:
        raise ValueError(
            f"pix2pix trains on paired data (kind paired: a[i] belongs with b[i]) "
            f"but data.target={config.data.target!r} asks for unpaired domains; drop "
            "data.target and set data.name to a paired set (mnist_edges, "
            "fashion_mnist_edges, cifar10_grey, npz:PATH, pairs:DIR), or train "
            "unpaired data with a two-domain method (CycleGAN)")


PIX2PIX = Method(
    name="pix2pix", model=Pix2Pix,
    slots={"generator": "translator", "discriminator": "patch_critic"},
    networks={"generator": entry("unet_generator"),
              "discriminator": entry("patchgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"}, check=check, shapes=shapes,
    summary="Pix2Pix: U-Net a -> b against a PatchGAN D(a, b), cGAN + lambda L1")
