"""CoA-CTRL (Algorithm 1) on CIFAR-10: the settings of configs/ctrl_cifar10.py
with CoA-ratio 1.5, the paper's value outside MNIST (appendix A.2.1)."""

from tfgen import recipes


def get_config():
    return recipes.ctrl("cifar10", coa_ratio=1.5)
