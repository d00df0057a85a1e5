"""Pix2Pix (Isola et al. 2017) on greyscale -> colour CIFAR-10 (the GAN
tutorial's black-and-white -> colour example): a = BT.601 luma, b = the
colour image (tfgen/data/derived.py; CIFAR-10 here is the JPEG q75 copy).

From the paper: cGAN + L1 with lambda = 100, non-saturating loss, D's
objective halved, Adam lr 2e-4, beta1 0.5, U-Net with dropout, PatchGAN.
Scaled to 32 px and a 2-core CPU: a 4-stage U-Net (32 -> 2 px) from 32
channels instead of 8 stages from 64 at 256 px; the PatchGAN sees 8x8
patches (25% of 32 px; the paper's 70 px is 27% of 256 px) from 32 channels;
batch 32; 2,000 steps.

COLOUR_SPACE selects how G colours (``use_colour_space``). The default,
"lab", is the authors' released code's choice for colourisation
(model.colour_space = "lab": G predicts the chroma ab from the lightness L,
and the output is the input's exact L with that ab); "rgb" maps the grey
image to RGB pixels. Measured with bench/pix2pix.py --row=cifar10_grey at
600 steps on 1,000 held-out test images (docs/benchmarks/pix2pix.md): Lab
beats the grey input itself, RGB does not. cGAN + L1, seed 0: FID 108.2 (Lab)
against 191.0 (RGB) and 123.6 (the grey input as RGB); L1 / PSNR over seeds
0, 1, 2: 0.098-0.099 / 24.67-24.90 dB (Lab) against 0.114 / 23.18 dB (RGB,
seed 0) and 0.107 / 24.51 dB (the grey input).
"""

from tfgen import config

COLOUR_SPACE = "lab"


def use_colour_space(c, space: str) -> None:
    """Sets ``model.colour_space`` and the channels it needs: in Lab, G
    writes ab (2 channels) and D reads (L, ab) (3 channels)."""
    c.model.colour_space = space
    lab = space == "lab"
    g, d = dict(c.net.generator), dict(c.net.discriminator)
    g["out_channels"], d["in_channels"] = (2, 3) if lab else (0, 0)
    config.set_network(c, "generator", **g)
    config.set_network(c, "discriminator", **d)


def get_config():
    c = config.base_config("pix2pix")
    c.data.name = "cifar10_grey"
    c.data.batch_size = 32
    config.set_network(c, "generator", "unet_generator", width=32, depth=4)
    config.set_network(c, "discriminator", "patchgan_discriminator", width=32)
    use_colour_space(c, COLOUR_SPACE)
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    return c
