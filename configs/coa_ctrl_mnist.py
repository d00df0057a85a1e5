"""CoA-CTRL (Algorithm 1) on MNIST 32x32: CTRL's settings (configs/ctrl_mnist.py)
with CoA-ratio 1.3, the paper's value for MNIST (appendix A.2.1)."""

from tfgen import recipes


def get_config():
    return recipes.ctrl("mnist", coa_ratio=1.3)
