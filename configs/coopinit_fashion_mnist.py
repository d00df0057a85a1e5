"""CoopInit (Zhao et al.) with DCGAN networks on Fashion-MNIST: MCMC teaching
with eta = 1.0, T = 10 (the paper's recommendation) for the first N_coop =
64,000 examples, then non-saturating adversarial finalization."""

from tfgen.config import base_config


def get_config():
    c = base_config()
    c.method = "coopinit"
    c.data.name = "fashion_mnist"
    c.model.loss = "non_saturating"
    c.model.coop_examples = 64_000
    c.model.langevin_steps = 10
    c.model.step_size = 1.0
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
