"""InfoGAN on MNIST with the paper's codes and networks.

Chen et al. 2016, Sec. 7 and Appendix C.1: 62 noise variables, one 10-way
categorical code and 2 continuous codes Uniform(−1, 1) (latent width 74),
λ = 1, the Table 1 networks (``infogan_generator``/``infogan_discriminator``
at their defaults); Adam with β1 = 0.5 and the learning rates of the
authors' released code (G 1e-3, D and Q 2e-4), batch 128. The paper trains
for 50 epochs of MNIST (about 23,000 steps at batch 128); ``steps`` here is
that schedule. ``bench/infogan.py`` runs a CPU-sized variant.
"""

from tfgen import config


def get_config():
    c = config.base_config("infogan")
    c.data.name = "mnist"
    c.data.batch_size = 128
    c.net.latent_dim = 74
    config.set_network(c, "generator", "infogan_generator")
    config.set_network(c, "discriminator", "infogan_discriminator", categorical=10,
                       continuous=2)
    c.model.info_weight = 1.0
    c.model.continuous_weight = 1.0
    c.optim.g_lr, c.optim.d_lr = 1e-3, 2e-4
    c.optim.beta1 = 0.5
    c.train.steps = 23_000
    c.train.checkpoint_every = 1000
    c.train.sample_every = 1000
    return c
