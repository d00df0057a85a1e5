"""WGAN with weight clipping on grid25 (Arjovsky et al. 2017, Algorithm 1).

RMSProp, clip c = 0.01, n_critic = 5 as in the paper's Algorithm 1; the
learning rate is raised from 5e-5 to 5e-4 for a short run.
"""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("grid25")
    c.model.loss = "wasserstein"
    c.model.clip_value = 0.01
    c.model.n_critic = 5
    c.optim.name = "rmsprop"
    c.optim.g_lr = 5e-4
    c.optim.d_lr = 5e-4
    return c
