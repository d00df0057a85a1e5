"""LSGAN (Mao et al. 2017, a-b-c = 0-1-1) with DCGAN networks on Fashion-MNIST."""

from tfgen import recipes


def get_config():
    return recipes.gan("fashion_mnist", "least_squares")
