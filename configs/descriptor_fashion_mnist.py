"""Algorithm D alone (Xie et al. 2016) on Fashion-MNIST: the CoopNets Sec. 5.2
descriptor with short-run Langevin chains from N(0, s^2 I) (60 steps); no
generator, so nothing is exported."""

from tfgen import recipes


def get_config():
    return recipes.descriptor("fashion_mnist")
