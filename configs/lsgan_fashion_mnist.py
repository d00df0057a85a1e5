"""LSGAN (Mao et al. 2017, a-b-c = 0-1-1) with DCGAN networks on Fashion-MNIST."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.data.name = "fashion_mnist"
    c.model.loss = "least_squares"
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
