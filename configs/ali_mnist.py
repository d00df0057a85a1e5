"""ALI on MNIST: BiGAN's MNIST setting (tfgen.recipes.bigan_mnist) with ALI's
Gaussian encoder q(z | x) = N(mu(x), sigma(x)^2), sampled by reparameterisation
(Dumoulin et al. 2017; their own experiments are convolutional on larger images)."""

from tfgen import recipes


def get_config():
    return recipes.bigan_mnist("ali")
