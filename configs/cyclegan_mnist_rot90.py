"""CycleGAN (Zhu et al. 2017) on MNIST <-> MNIST rotated by 90 degrees,
unpaired (tfgen/data/unpaired.py: disjoint halves, the rotated counterpart of
every test digit known). A shape change, which the GAN tutorial notes is
hard for CycleGAN; both domains are grey, so the identity loss
(model.identity_ratio = 0.5) can be switched on. Settings as
cyclegan_mnistm_like.py.
"""

from tfgen import config


def get_config():
    c = config.base_config("cyclegan")
    c.data.name, c.data.target = "mnist2mnist_rot90@a", "mnist2mnist_rot90@b"
    c.data.batch_size = 32
    for slot in ("g_ab", "g_ba"):
        config.set_network(c, slot, "resnet_generator", width=32, blocks=6)
    for slot in ("d_a", "d_b"):
        config.set_network(c, slot, "patchgan_discriminator", width=64)
    c.train.steps = 2000
    c.train.checkpoint_every = 500
    return c
