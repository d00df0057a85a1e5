"""CoopNets on ring8 with MLP descriptor and generator."""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("ring8")
    c.method = "coopnets"
    c.model.langevin_steps = 10
    c.model.step_size = 0.05
    c.model.gen_noise_std = 0.1
    c.optim.g_lr = 1e-3
    c.optim.d_lr = 1e-3
    return c
