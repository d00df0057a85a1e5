"""Pix2Pix (Isola et al. 2017) on edges -> digit: a = the 3x3 morphological
gradient of an MNIST digit (tfgen/data/derived.py), b = the digit.

From the paper: cGAN + L1 with lambda = 100, the non-saturating loss, D's
objective halved, Adam lr 2e-4, beta1 0.5, a U-Net generator with dropout and
a PatchGAN discriminator. Scaled to 28 px and a 2-core CPU: the U-Net has 3
stride-2 stages (28 is padded to 32 inside: 32 -> 4 px) from 16 channels
instead of 8 stages from 64 at 256 px; the PatchGAN sees 8x8 patches (the
paper's 70 px at 256 px is 27% of the side; 8 px is 29% of 28 px, see
tfgen/networks/patchgan.py) from 32 channels; batch 32 instead of 1-10;
2,000 steps (bench/pix2pix.py reports what such budgets reach).
"""

from tfgen import config


def get_config():
    c = config.base_config("pix2pix")
    c.data.name = "mnist_edges"
    c.data.batch_size = 32
    config.set_network(c, "generator", "unet_generator", width=16, depth=3)
    config.set_network(c, "discriminator", "patchgan_discriminator", width=32)
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    return c
