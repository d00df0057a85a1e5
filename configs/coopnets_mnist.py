"""CoopNets (Xie et al. 2018, Algorithm 1) on MNIST.

Descriptor of the paper's Sec. 5.2 (64 5x5/2, 128 3x3/2, 256 3x3/1, FC 100
summed), DCGAN generator; l_D = 10 Langevin steps; X~ = X^ (l_G = 0) as the
paper's experiments; step G0 adds the generator noise e ~ N(0, 0.3^2 I) of
Algorithm 1. Langevin step 0.002 as in the paper's Sec. 5, with the
Gaussian reference s = 0.016 of the authors' TensorFlow code; the paper's
learning rate 0.07 is for MatConvNet, so Adam(1e-3) for the descriptor and
Adam(5e-4) for the generator were chosen by a 500-step sweep on MNIST
(docs/BENCHMARKS.md, "CoopNets recipe").
"""

from tfgen import recipes


def get_config():
    return recipes.coopnets("mnist")
