"""WGAN-GP with DCGAN networks on full MNIST (lambda = 10, n_critic = 5,
Adam(1e-4, betas (0.5, 0.9)) as in Gulrajani et al. 2017)."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.data.name = "mnist"
    c.model.loss = "wasserstein"
    c.model.gp_weight = 10.0
    c.model.n_critic = 5
    c.optim.g_lr = 1e-4
    c.optim.d_lr = 1e-4
    c.optim.beta1 = 0.5
    c.optim.beta2 = 0.9
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
