"""CoopNets (Xie et al. 2018, Algorithm 1) on Fashion-MNIST.

Descriptor of the paper's Sec. 5.2 (64 5x5/2, 128 3x3/2, 256 3x3/1, FC 100
summed), DCGAN generator; l_D = 10 Langevin steps; X~ = X^ (l_G = 0) as the
paper's experiments. The step size and learning rates are set for 28x28
images in [-1, 1] (the paper's 0.002 / 0.07 are for MatConvNet on 64x64
faces with its own pixel scale).
"""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.method = "coopnets"
    c.data.name = "fashion_mnist"
    c.net.discriminator.name = "coopnets"
    c.model.langevin_steps = 10
    c.model.step_size = 0.02
    c.model.ref_std = 1.0
    c.model.gen_noise_std = 0.3
    c.optim.g_lr = 1e-4
    c.optim.d_lr = 1e-4
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
