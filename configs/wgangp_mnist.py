"""WGAN-GP with DCGAN networks on full MNIST (lambda = 10, n_critic = 5,
Adam(1e-4, betas (0.5, 0.9)) as in Gulrajani et al. 2017)."""

from tfgen import recipes


def get_config():
    return recipes.wgangp("mnist")
