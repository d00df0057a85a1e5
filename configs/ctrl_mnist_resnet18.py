"""CTRL (CoA-CTRL Algorithm 2) with a deep encoder on MNIST 32x32: the
unbalanced setting.

CoA-CTRL appendix A.2.2 ("deep encoders"): pre-activation ResNet-18 encoder
(no normalization layers, average-pool downsampling) against the shallow
DCGAN-style MNIST decoder; Adam(1e-4, betas (0.0, 0.9)) with linear decay,
eps^2 = 0.5, nz = 128, batch 512, 10,000 iterations on MNIST (CoA-CTRL's
twin, configs/coa_ctrl_mnist_resnet18.py, adds CoA-ratio 1.5).
"""

from tfgen import recipes


def get_config():
    return recipes.ctrl("mnist", encoder="resnet18")
