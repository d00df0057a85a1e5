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

from tfgen import recipes


def get_config():
    return recipes.two_domain("cyclegan", "cifar10_grey")
