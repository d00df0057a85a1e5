"""Algorithm D alone (Xie et al. 2016) on Fashion-MNIST: the CoopNets Sec. 5.2
descriptor with short-run Langevin chains from N(0, s^2 I) (60 steps); no
generator, so nothing is exported."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.method = "descriptor"
    c.data.name = "fashion_mnist"
    c.net.discriminator.name = "coopnets"
    c.model.langevin_steps = 60
    c.model.step_size = 0.02
    c.optim.d_lr = 1e-4
    c.train.steps = 3000
    c.train.checkpoint_every = 500
    c.train.sample_every = 500
    c.export.enabled = False
    return c
