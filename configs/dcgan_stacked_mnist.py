"""DCGAN (non-saturating loss) on Stacked MNIST: three MNIST digits as the
R, G and B channels, 1,000 modes (Metz et al. 2017; VEEGAN and PacGAN use it
to count modes). 25,000 training images built from full MNIST with a fixed
seed; evaluate with ``--metrics=stacked_modes``."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.data.name = "stacked_mnist"
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
