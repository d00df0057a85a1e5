"""CTRL (Dai et al. 2022; CoA-CTRL Algorithm 2) on MNIST resized to 32x32.

CoA-CTRL appendix settings: Adam(1e-4, betas (0.0, 0.9)) with linear decay,
eps^2 = 0.5, nz = 128, batch 256, 10,000 iterations.
"""

import ml_collections

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.method = "ctrl"
    c.data.name = "mnist"
    c.data.image_size = 32
    c.data.batch_size = 256
    c.net.latent_dim = 128
    c.net.encoder = ml_collections.ConfigDict(dict(name="ctrl", width=64))
    c.net.generator = ml_collections.ConfigDict(dict(name="ctrl", width=64))
    c.model.eps_sq = 0.5
    c.model.coa_ratio = 0.0
    c.optim.g_lr = 1e-4
    c.optim.d_lr = 1e-4
    c.optim.beta1 = 0.0
    c.optim.beta2 = 0.9
    c.train.steps = 10_000
    c.train.checkpoint_every = 500
    return c
