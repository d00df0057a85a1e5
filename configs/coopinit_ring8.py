"""CoopInit on ring8: the first N_coop = 256,000 examples (1,000 steps of 256)
train the MLPs as CoopNets (T = 10, eta = 0.05 for 2-D data), then the
non-saturating GAN continues with the same networks and optimizers."""

from tfgen import recipes


def get_config():
    return recipes.coopinit("ring8")
