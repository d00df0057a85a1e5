"""CTRL (CoA-CTRL Algorithm 2) on CIFAR-10 with "normal" DCGAN-style nets.

CoA-CTRL appendix A.2.1: Adam(1e-4, betas (0.5, 0.9)) with linear decay,
eps^2 = 0.5, nz = 128, batch 512, 20,000 iterations. The shared data are
JPEG re-encodings (label metrics "CIFAR-10 (JPEG q75)").
"""

from tfgen import recipes


def get_config():
    return recipes.ctrl("cifar10")
