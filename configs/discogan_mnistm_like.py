"""DiscoGAN (Kim et al. 2017) on MNIST <-> MNIST-M-like, unpaired (domains as
in cyclegan_mnistm_like.py: disjoint halves, known test counterparts).

From the paper: the standard (cross-entropy) GAN loss, a reconstruction loss
in both domains by the mean squared error, weighed 1 (L_G = L_GAN + L_CONST
in each direction), no history buffer and no identity loss, Adam lr 2e-4
with beta1 0.5. Encoder-decoder generators and DCGAN-like discriminators
scaled from 4 stride-2 stages at 64 px to 2 at 28 px (7 px bottleneck),
32 channels at the first stage instead of 64. Batch 32 (the paper's 200 was
for 64 px images on a GPU), 2,000 steps.
"""

from tfgen import recipes


def get_config():
    return recipes.two_domain("discogan", "mnist2mnistm_like")
