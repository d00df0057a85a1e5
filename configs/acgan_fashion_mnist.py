"""AC-GAN (Odena et al. 2017) on fashion_mnist: D(x) gives real/fake and class logits.

DCGAN networks (Radford et al. 2016); the class loss L_C weighted 1 for
both players (the paper's objective, eqs. 2-3); non-saturating adversarial
loss, Adam(2e-4, beta1 = 0.5) as in the paper's appendix. Batch 64 (the
paper used 100). 5,000 steps; docs/benchmarks/conditional_gans.md measured
2,000.
"""

from tfgen import config


def get_config():
    c = config.base_config("acgan")
    c.data.name = "fashion_mnist"
    c.model.loss = "non_saturating"
    c.model.aux_weight = 1.0
    c.train.steps = 5000
    c.train.checkpoint_every = 500
    return c
