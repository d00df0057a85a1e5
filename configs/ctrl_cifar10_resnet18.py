"""CTRL (CoA-CTRL Algorithm 2) on CIFAR-10 with ResNet-18 and De8, the
paper's Table 1 setting.

CoA-CTRL Sec. 4.2 and appendix A.2.2: pre-activation ResNet-18 encoder (no
normalization layers) against SNGAN's ResNet generator ("De8", without
spectral normalization); Adam(1e-4, betas (0.0, 0.9)) with linear decay,
eps^2 = 0.5 (CoA-ratio 1.5 for CoA-CTRL), nz = 128, batch 512, 100,000 iterations. The
shared data are JPEG re-encodings (label metrics "CIFAR-10 (JPEG q75)").
"""

from tfgen import recipes


def get_config():
    return recipes.ctrl("cifar10", encoder="resnet18")
