"""WGAN-GP with DCGAN networks on Fashion-MNIST: lambda = 10, n_critic = 5,
Adam(1e-4, betas (0, 0.9)), the defaults of Algorithm 1 of Gulrajani et al.
2017 (their released MNIST script used beta1 = 0.5, as this config did
before; see tfgen.recipes.wgangp)."""

from tfgen import recipes


def get_config():
    return recipes.wgangp("fashion_mnist")
