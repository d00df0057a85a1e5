"""CTRL (CoA-CTRL Algorithm 2) on CIFAR-10 with "normal" DCGAN-style nets.

CoA-CTRL appendix A.2.1: Adam(1e-4, betas (0.5, 0.9)) with linear decay,
eps^2 = 0.5, nz = 128, batch 512, 20,000 iterations. The shared data are
JPEG re-encodings (label metrics "CIFAR-10 (JPEG q75)").
"""

from tfgen.config import ctrl_config


def get_config():
    c = ctrl_config("cifar10", coa_ratio=0.0)
    c.model.conditional = False
    c.data.image_size = 0  # native 32x32
    c.data.batch_size = 512
    c.optim.beta1, c.optim.beta2 = 0.5, 0.9
    c.train.steps = 20_000
    c.train.checkpoint_every = 1000
    return c
