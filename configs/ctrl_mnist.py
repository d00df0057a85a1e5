"""CTRL (Dai et al. 2022; CoA-CTRL Algorithm 2) on MNIST resized to 32x32.

CoA-CTRL appendix A.2.1 ("normal encoders", Tables 3-4): DCGAN-style
encoder and decoder, Adam(1e-4, betas (0.0, 0.9)) with linear decay,
eps^2 = 0.5, nz = 128, batch 256, 10,000 iterations.
"""

from tfgen import recipes


def get_config():
    return recipes.ctrl("mnist")
