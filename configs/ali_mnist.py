"""ALI on MNIST: BiGAN's MNIST setting with the Gaussian encoder of ALI.

Dumoulin et al. 2017 use a stochastic encoder q(z | x) = N(mu(x), sigma(x)^2),
sampled by reparameterisation; the networks, latent, optimizer and batch
are those of configs/bigan_mnist.py (BiGAN's permutation-invariant MNIST
setting; ALI's own experiments are convolutional on larger images).
"""

from tfgen import config


def get_config():
    c = config.base_config("ali")
    c.data.name = "mnist"
    c.data.batch_size = 128
    c.net.latent_dim = 50
    c.model.prior = "uniform"
    c.optim.g_lr = c.optim.d_lr = 2e-4
    c.optim.beta1 = 0.5
    c.train.steps = 20000
    c.train.checkpoint_every = 1000
    c.train.sample_every = 1000
    return c
