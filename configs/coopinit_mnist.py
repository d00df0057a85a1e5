"""CoopInit with DCGAN networks on MNIST: eta = 1.0, T = 10 as the paper
recommends, N_coop = 64,000 examples, then non-saturating adversarial
finalization."""

from tfgen import recipes


def get_config():
    return recipes.coopinit("mnist")
