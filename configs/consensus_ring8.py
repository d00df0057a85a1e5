"""Consensus optimization on ring8, Mescheder et al. 2017's 8-Gaussian experiment.

Their setup (Sec. 5 and the released code): generator and discriminator of 4
fully connected layers of 16 units, a 16-dimensional latent, batch 512,
RMSProp with learning rate 1e-4, γ = 10 for consensus, no batch
normalization. The steps are this library's mixture default; bench/consensus.py
compares the two methods (docs/benchmarks/bigan_consensus.md).
"""

from tfgen import config


def get_config():
    c = config.toy_mixture_config("ring8", "consensus")
    c.data.batch_size = 512
    c.net.latent_dim = 16
    config.set_network(c, "generator", "mlp_generator", hidden=(16,) * 4)
    config.set_network(c, "discriminator", "mlp_discriminator", hidden=(16,) * 4)
    c.optim.name = "rmsprop"
    c.optim.g_lr = c.optim.d_lr = 1e-4
    return c
