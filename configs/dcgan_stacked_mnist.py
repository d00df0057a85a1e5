"""DCGAN (non-saturating loss) on Stacked MNIST: three MNIST digits as the
R, G and B channels, 1,000 modes (Metz et al. 2017; VEEGAN and PacGAN use it
to count modes). 25,000 training images built from full MNIST with a fixed
seed; evaluate with ``--metrics=stacked_modes``."""

from tfgen import recipes


def get_config():
    return recipes.gan("stacked_mnist")
