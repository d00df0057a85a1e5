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
from 32 channels instead of 64. PatchGAN: two 4x4 stride-2 convolutions and a
3x3 head, i.e. 18 px patches (64% of 28 px; the paper's 70 px is 27% of
256 px but comes from five convolutions). The earlier one-convolution, 8 px
PatchGAN (29%) could not tell blank images from digits on MNIST, where most
8 px patches are background, and both generators collapsed to blank images
(docs/benchmarks/two_domain.md). The identity loss needs equal channels (use
mnist2mnist_rgb@a as domain A to turn it on). 2,000 steps.

Known weakness (docs/benchmarks/two_domain.md, third pass): at CPU scale
(width 8-16, 600-1,800 steps) this method's ResNet-block generators, and
its U-Net option, translate MNIST-M-like -> MNIST to digits read at only
10-25%, whatever the objective, discriminator, width, lambda or budget,
with 2 or 6 residual blocks (37-43% with none, seed 0); the same objective
on DiscoGAN's encoder-decoder networks reads 52-59% (3 seeds). Fourth
pass: one stride-2 stage instead of two (net.g_ab/g_ba.downsample = 1,
residual blocks at 14 px) reads 35-48% over 3 seeds against 21-24% (width 8,
2 blocks, 600 steps), still below DiscoGAN. This config keeps the paper's
architecture; its full-size run is untested here.
"""

from tfgen import config, recipes


def get_config():
    c = recipes.two_domain("cyclegan", "mnist2mnistm_like")
    for slot in ("d_a", "d_b"):  # two stride-2 stages: 18 px patches (see docstring)
        config.set_network(c, slot, "patchgan_discriminator", width=64, downsample=2)
    return c
