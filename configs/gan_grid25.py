"""Non-saturating GAN on grid25 (25 Gaussians on a 5x5 grid, std 0.05).

The mode-coverage baseline of the PacGAN / VEEGAN tables, with small MLPs.
"""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("grid25")
    c.model.loss = "non_saturating"
    return c
