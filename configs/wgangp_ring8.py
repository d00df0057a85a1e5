"""WGAN-GP on ring8: two-sided penalty, lambda = 10, five critic steps.

Gulrajani et al. 2017 use Adam(1e-4, betas (0.5, 0.9)) and long runs; we use
1e-3 so that a short run reaches the ring.
"""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("ring8")
    c.model.loss = "wasserstein"
    c.model.gp_weight = 10.0
    c.model.n_critic = 5
    return c
