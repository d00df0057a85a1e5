"""CoA-CTRL (Algorithm 1) with a deep encoder on MNIST 32x32: the
unbalanced setting.

CoA-CTRL appendix A.2.2 ("deep encoders"): pre-activation ResNet-18 encoder
(no normalization layers, average-pool downsampling) against the shallow
DCGAN-style MNIST decoder; Adam(1e-4, betas (0.0, 0.9)) with linear decay,
eps^2 = 0.5, CoA-ratio 1.5 (A.2.2 fixes 1.5 for every deep-encoder run),
nz = 128, batch 512, 10,000 iterations on MNIST.
"""

from tfgen import recipes


def get_config():
    return recipes.ctrl("mnist", coa_ratio=1.5, encoder="resnet18")
