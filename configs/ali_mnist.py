"""ALI on MNIST: BiGAN's MNIST setting (tfgen.recipes.bigan_mnist) with ALI's
Gaussian encoder q(z | x) = N(mu(x), sigma(x)^2), sampled by reparameterisation,
ALI's joint discriminator (x, z and joint towers, dropout 0.2; Dumoulin et al.
2017, appendix A), batch normalisation in G and E, and ALI's Adam(1e-4,
beta1 = 0.5). Their own experiments are convolutional on larger images; these
are the fully connected networks of configs/bigan_mnist.py
(docs/benchmarks/bigan_consensus.md)."""

from tfgen import config, recipes


def get_config():
    c = recipes.bigan_mnist("ali")
    c.net.generator.batch_norm = True
    c.net.encoder.batch_norm = True
    config.set_network(c, "discriminator", "ali_joint_discriminator", hidden=(1024, 1024),
                       z_hidden=(512, 512), joint_hidden=(1024, 1024), dropout=0.2)
    c.optim.g_lr = c.optim.d_lr = 1e-4
    return c
