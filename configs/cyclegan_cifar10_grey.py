"""CycleGAN (Zhu et al. 2017) on greyscale <-> colour CIFAR-10, unpaired:
domain A is the BT.601 luma of one half of the training photos, domain B the
colour photos of the other half (tfgen/data/unpaired.py over the paired set
cifar10_grey; CIFAR-10 here is the JPEG q75 copy), so every test photo's
true colours are known.

From the paper: LSGAN loss, lambda = 10, history buffers of 50, Adam lr 2e-4
with beta1 0.5, ResNet-block generators (32 px -> 8 px bottleneck, 6 blocks,
32 channels instead of 64) and an 18 px PatchGAN of two stride-2
convolutions (56% of 32 px; the one-convolution 8 px PatchGAN lost on MNIST,
see cyclegan_mnistm_like.py). No identity loss: the domains have 1 and 3
channels.
Batch 32, 2,000 steps.
"""

from tfgen import config, recipes


def get_config():
    c = recipes.two_domain("cyclegan", "cifar10_grey")
    for slot in ("d_a", "d_b"):  # two stride-2 stages: 18 px patches (see docstring)
        config.set_network(c, slot, "patchgan_discriminator", width=64, downsample=2)
    return c
