"""BiGAN on MNIST (Donahue et al. 2017, Sec. 4.2: permutation-invariant MNIST).

Their setting: E, G and D are MLPs of 1024 hidden units with leaky ReLUs
(the library's bigan_* networks), a 50-dimensional latent from U[-1, 1],
Adam(2e-4, beta1 = 0.5), batch 128; they train 400 epochs (about 190,000
steps), this config 20,000. bench/bigan.py measures the features and the
reconstructions at a smaller budget (docs/benchmarks/bigan_consensus.md).
"""

from tfgen import config


def get_config():
    c = config.base_config("bigan")
    c.data.name = "mnist"
    c.data.batch_size = 128
    c.net.latent_dim = 50
    c.model.prior = "uniform"
    c.optim.g_lr = c.optim.d_lr = 2e-4
    c.optim.beta1 = 0.5
    c.train.steps = 20000
    c.train.checkpoint_every = 1000
    c.train.sample_every = 1000
    return c
