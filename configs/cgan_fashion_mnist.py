"""cGAN (Mirza & Osindero 2014) on Fashion-MNIST: G(z, y) and D(x, y), the label
one-hot joined to z and, as K channels, to the image ("concat"); settings in
tfgen.recipes.conditional_gan."""

from tfgen import recipes


def get_config():
    return recipes.conditional_gan("cgan", "fashion_mnist")
