"""cGAN with the projection discriminator (Miyato & Koyama 2018) on MNIST.

D(x, y) = psi(phi(x)) + <e_y, phi(x)> on the DCGAN trunk (their eq. 3);
G(z, y) with a one-hot label joined to z. Hinge loss, as in the projection
paper; Adam(2e-4, beta1 = 0.5), batch 64. 5,000 steps.
"""

from tfgen import config


def get_config():
    c = config.base_config("cgan")
    c.data.name = "mnist"
    c.model.loss = "hinge"
    config.set_network(c, "discriminator", "cgan_discriminator", condition="projection")
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
