"""LSGAN (Mao et al. 2017, a-b-c = 0-1-1) with DCGAN networks on full MNIST."""

from tfgen import recipes


def get_config():
    return recipes.gan("mnist", "least_squares")
