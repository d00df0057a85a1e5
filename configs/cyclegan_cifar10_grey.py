"""CycleGAN (Zhu et al. 2017) on greyscale <-> colour CIFAR-10, unpaired:
domain A is the BT.601 luma of one half of the training photos, domain B the
colour photos of the other half (tfgen/data/unpaired.py over the paired set
cifar10_grey; CIFAR-10 here is the JPEG q75 copy), so every test photo's
true colours are known.

From the paper: LSGAN loss, lambda = 10, history buffers of 50, Adam lr 2e-4
with beta1 0.5, ResNet-block generators (32 px -> 8 px bottleneck, 6 blocks,
32 channels instead of 64) and an 8 px PatchGAN (25% of 32 px; the paper's
70 px is 27% of 256). No identity loss: the domains have 1 and 3 channels.
Batch 32, 2,000 steps.
"""

from tfgen import config


def get_config():
    c = config.base_config("cyclegan")
    c.data.name, c.data.target = "cifar10_grey@a", "cifar10_grey@b"
    c.data.batch_size = 32
    for slot in ("g_ab", "g_ba"):
        config.set_network(c, slot, "resnet_generator", width=32, blocks=6)
    for slot in ("d_a", "d_b"):
        config.set_network(c, slot, "patchgan_discriminator", width=64)
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    return c
