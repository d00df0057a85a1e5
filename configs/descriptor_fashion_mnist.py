"""Algorithm D alone (Xie et al. 2016) on Fashion-MNIST: the CoopNets Sec. 5.2
descriptor with short-run Langevin chains from N(0, s^2 I) (60 steps). There is
no generator: the export's sample part runs those chains (no latent input)."""

from tfgen import recipes


def get_config():
    return recipes.descriptor("fashion_mnist")
