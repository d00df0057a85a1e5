"""Non-saturating GAN on grid25 (25 Gaussians on a 5x5 grid, std 0.05).

The mode-coverage baseline of the PacGAN / VEEGAN tables, with small MLPs.
"""

from tfgen import recipes


def get_config():
    return recipes.gan("grid25")
