"""Non-saturating GAN on ring8 (8 Gaussians on the unit circle, std 0.01).

The mode-coverage baseline of the PacGAN / VEEGAN tables, with small MLPs.
"""

from tfgen import recipes


def get_config():
    return recipes.gan("ring8")
