"""Non-saturating GAN on ring8 (8 Gaussians on the unit circle, std 0.01).

The mode-coverage baseline of the PacGAN / VEEGAN tables, with small MLPs.
"""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("ring8")
    c.model.loss = "non_saturating"
    return c
