"""CycleGAN (Zhu et al. 2017) on MNIST <-> MNIST rotated by 90 degrees,
unpaired (tfgen/data/unpaired.py: disjoint halves, the rotated counterpart of
every test digit known). A shape change, which the GAN tutorial notes is
hard for CycleGAN; both domains are grey, so the identity loss
(model.identity_ratio = 0.5) can be switched on. Settings as
cyclegan_mnistm_like.py.
"""

from tfgen import config, recipes


def get_config():
    c = recipes.two_domain("cyclegan", "mnist2mnist_rot90")
    for slot in ("d_a", "d_b"):  # two stride-2 stages: 18 px patches (see docstring)
        config.set_network(c, slot, "patchgan_discriminator", width=64, downsample=2)
    return c
