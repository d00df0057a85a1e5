"""CycleGAN (Zhu et al. 2017) on MNIST <-> MNIST-M-like, unpaired: domain A
is MNIST (grey) from one half of the training images, domain B the
MNIST-M-like rendering (tfgen/data/mnistm_like.py) of the other half
(tfgen/data/unpaired.py), so the true counterpart of every test image is
known.

From the paper: LSGAN loss, cycle weight lambda = 10, history buffers of 50
images, Adam lr 2e-4 with beta1 0.5, batch 1 there (we use 32, as most
re-implementations at small image sizes), ResNet-block generators and a
PatchGAN. Scaled to 28 px: two stride-2 stages to a 7 px bottleneck (the
paper's 128 -> 32 px) with 6 residual blocks (the paper's count at 128 px)
from 32 channels instead of 64; PatchGAN patches of 8 px (the paper's 70 px
is 27% of 256 px, 8 px is 29% of 28 px). The identity loss needs equal
channels (use mnist2mnist_rgb@a as domain A to turn it on). 2,000 steps.
"""

from tfgen import recipes


def get_config():
    return recipes.two_domain("cyclegan", "mnist2mnistm_like")
