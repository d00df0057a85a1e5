"""cGAN (Mirza & Osindero 2014) on mnist: G(z, y) and D(x, y), labels one-hot.

DCGAN networks (Radford et al. 2016) with y joined to z and, as K one-hot
channels, to the image ("concat"); non-saturating loss, Adam(2e-4,
beta1 = 0.5), batch 64: the DCGAN settings, which the cGAN paper predates.
5,000 steps; docs/benchmarks/conditional_gans.md measured 2,000.
"""

from tfgen import config


def get_config():
    c = config.base_config("cgan")
    c.data.name = "mnist"
    c.model.loss = "non_saturating"
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
