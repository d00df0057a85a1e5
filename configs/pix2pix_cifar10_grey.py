"""Pix2Pix (Isola et al. 2017) on greyscale -> colour CIFAR-10 (the GAN
tutorial's black-and-white -> colour example): a = BT.601 luma, b = the
colour image (tfgen/data/derived.py; CIFAR-10 here is the JPEG q75 copy).

From the paper: cGAN + L1 with lambda = 100, non-saturating loss, D's
objective halved, Adam lr 2e-4, beta1 0.5, U-Net with dropout, PatchGAN.
Scaled to 32 px and a 2-core CPU: a 4-stage U-Net (32 -> 2 px) from 32
channels instead of 8 stages from 64 at 256 px; the PatchGAN sees 8x8
patches (25% of 32 px; the paper's 70 px is 27% of 256 px) from 32 channels;
batch 32; 2,000 steps.
"""

from tfgen import config


def get_config():
    c = config.base_config("pix2pix")
    c.data.name = "cifar10_grey"
    c.data.batch_size = 32
    config.set_network(c, "generator", "unet_generator", width=32, depth=4)
    config.set_network(c, "discriminator", "patchgan_discriminator", width=32)
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    return c
