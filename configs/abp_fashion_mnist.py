"""Algorithm G alone (alternating back-propagation, Han et al. 2017) on
Fashion-MNIST: 30 Langevin steps of latent inference (eq. 9), then
regression of the images on the inferred latents (eq. 10)."""

from tfgen import recipes


def get_config():
    return recipes.alternating_backprop("fashion_mnist")
