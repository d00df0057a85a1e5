"""CoopInit on grid25 (the paper's Figure 1 at small scale): the first
N_coop = 256,000 examples (1,000 steps of 256) train the non-saturating
GAN's networks as CoopNets, then adversarial finalization."""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("grid25")
    c.method = "coopinit"
    c.model.loss = "non_saturating"
    c.model.coop_examples = 256_000
    c.model.langevin_steps = 10
    c.model.step_size = 0.05  # eta; the paper's 1.0 is for images in [-1, 1]
    return c
