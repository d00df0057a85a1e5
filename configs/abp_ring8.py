"""Algorithm G alone (alternating back-propagation) on ring8: an MLP
generator with 2-D latents, inferred by 30 Langevin steps per batch."""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("ring8")
    c.method = "alternating_backprop"
    c.model.infer_steps = 30
    c.model.infer_step_size = 0.1
    c.model.gen_noise_std = 0.1
    c.optim.g_lr = 1e-3
    return c
