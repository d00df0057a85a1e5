"""CoopInit on grid25 (the paper's Figure 1 at small scale): the first
N_coop = 256,000 examples (1,001 steps of 256: Algorithm 2 cooperates while
N <= N_coop) train the non-saturating GAN's networks as CoopNets, then
adversarial finalization."""

from tfgen import recipes


def get_config():
    return recipes.coopinit("grid25")
