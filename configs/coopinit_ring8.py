"""CoopInit on ring8: the first N_coop = 256,000 examples (1,000 steps of 256)
train the MLPs as CoopNets (T = 10, eta = 0.05 for 2-D data), then the
non-saturating GAN continues with the same networks and optimizers."""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("ring8")
    c.method = "coopinit"
    c.model.loss = "non_saturating"
    c.model.coop_examples = 256_000
    c.model.langevin_steps = 10
    c.model.step_size = 0.05
    return c
