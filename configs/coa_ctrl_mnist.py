"""CoA-CTRL (Algorithm 1) on MNIST 32x32: CTRL's settings with CoA-ratio 1.3."""

import ml_collections

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.method = "coa_ctrl"
    c.data.name = "mnist"
    c.data.image_size = 32
    c.data.batch_size = 256
    c.net.latent_dim = 128
    c.net.encoder = ml_collections.ConfigDict(dict(name="ctrl", width=64))
    c.net.generator = ml_collections.ConfigDict(dict(name="ctrl", width=64))
    c.model.eps_sq = 0.5
    c.model.coa_ratio = 1.3
    c.optim.g_lr = 1e-4
    c.optim.d_lr = 1e-4
    c.optim.beta1 = 0.0
    c.optim.beta2 = 0.9
    c.train.steps = 10_000
    c.train.checkpoint_every = 500
    return c
