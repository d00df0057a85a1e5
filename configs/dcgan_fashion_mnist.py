"""DCGAN (non-saturating loss, Adam(2e-4, beta1 = 0.5)) on Fashion-MNIST."""

from tfgen import recipes


def get_config():
    return recipes.gan("fashion_mnist")
