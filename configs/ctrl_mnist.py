"""CTRL (Dai et al. 2022; CoA-CTRL Algorithm 2) on MNIST resized to 32x32.

CoA-CTRL appendix A.2.1 ("normal encoders", Tables 3-4): DCGAN-style
encoder and decoder, Adam(1e-4, betas (0.0, 0.9)) with linear decay,
eps^2 = 0.5, nz = 128, batch 256, 10,000 iterations.
"""

from tfgen.config import ctrl_config


def get_config():
    c = ctrl_config("mnist", coa_ratio=0.0)
    c.model.conditional = False  # True: class-conditional objective (needs labels)
    return c
