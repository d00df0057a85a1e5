"""BiGAN on MNIST (Donahue et al. 2017, Sec. 4.2: permutation-invariant MNIST).

tfgen.recipes.bigan_mnist's settings (1024-unit MLPs, 50-d U[-1, 1] latent,
Adam(2e-4, beta1 = 0.5), batch 128), with the networks that make the
reconstructions G(E(x)) keep the digit (docs/benchmarks/bigan_consensus.md):
batch normalisation in G's and E's hidden layers, as BiGAN's own MNIST
networks have, and ALI's joint discriminator (Dumoulin et al. 2017,
appendix A): an x tower, a z tower and a joint tower, dropout 0.2 in every
hidden layer. A discriminator on the plain concatenation [x, z] ignored the
pairing in our measurements. bench/bigan.py measures the features and the
reconstructions at a smaller budget.
"""

from tfgen import config, recipes


def get_config():
    c = recipes.bigan_mnist("bigan")
    c.net.generator.batch_norm = True
    c.net.encoder.batch_norm = True
    config.set_network(c, "discriminator", "ali_joint_discriminator", hidden=(1024, 1024),
                       z_hidden=(512, 512), joint_hidden=(1024, 1024), dropout=0.2)
    return c
