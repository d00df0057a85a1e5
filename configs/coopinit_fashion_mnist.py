"""CoopInit (Zhao et al.) with DCGAN networks on Fashion-MNIST: MCMC teaching
with eta = 1.0, T = 10 (the paper's recommendation) for the first N_coop =
64,000 examples, then non-saturating adversarial finalization."""

from tfgen import recipes


def get_config():
    return recipes.coopinit("fashion_mnist")
