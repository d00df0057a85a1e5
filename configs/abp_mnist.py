"""Algorithm G alone: alternating back-propagation (Han et al. 2017) on MNIST:
Langevin inference of the latents (l_G = 30 steps, eq. 9), then regression
of the images on them (eq. 10)."""

from tfgen import recipes


def get_config():
    return recipes.alternating_backprop("mnist")
