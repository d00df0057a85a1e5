"""AC-GAN (Odena et al. 2017) on MNIST: D(x) gives real/fake and class logits;
settings in tfgen.recipes.conditional_gan."""

from tfgen import recipes


def get_config():
    return recipes.conditional_gan("acgan", "mnist")
