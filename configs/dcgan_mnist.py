"""DCGAN (non-saturating loss, Adam(2e-4, beta1 = 0.5)) on full MNIST."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.data.name = "mnist"
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
