"""CoopNets (Xie et al. 2018, Algorithm 1) on Fashion-MNIST.

Descriptor of the paper's Sec. 5.2 (64 5x5/2, 128 3x3/2, 256 3x3/1, FC 100
summed), DCGAN generator; l_D = 10 Langevin steps; X~ = X^ (l_G = 0) as the
paper's experiments. The step size and learning rates are set for 28x28
images in [-1, 1] (the paper's 0.002 / 0.07 are for MatConvNet on 64x64
faces with its own pixel scale).
"""

from tfgen import recipes


def get_config():
    return recipes.coopnets("fashion_mnist")
