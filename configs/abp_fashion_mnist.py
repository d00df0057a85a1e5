"""Algorithm G alone (alternating back-propagation, Han et al. 2017) on
Fashion-MNIST: 30 Langevin steps of latent inference (eq. 9), then
regression of the images on the inferred latents (eq. 10)."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.method = "alternating_backprop"
    c.data.name = "fashion_mnist"
    c.net.latent_dim = 32
    c.model.infer_steps = 30
    c.model.infer_step_size = 0.1
    c.model.gen_noise_std = 0.3
    c.optim.g_lr = 3e-4
    c.train.steps = 3000
    c.train.checkpoint_every = 500
    return c
