"""WGAN with weight clipping on grid25 (Arjovsky et al. 2017, Algorithm 1).

RMSProp, clip c = 0.01, n_critic = 5 as in the paper's Algorithm 1; the
learning rate is raised from 5e-5 to 5e-4 for a short run.
"""

from tfgen import recipes


def get_config():
    return recipes.wgan("grid25")
