"""CoA-CTRL (Algorithm 1) on MNIST 32x32: CTRL's settings (configs/ctrl_mnist.py)
with CoA-ratio 1.3, the paper's value for MNIST (appendix A.2.1)."""

from tfgen.config import ctrl_config


def get_config():
    c = ctrl_config("mnist", coa_ratio=1.3)
    c.model.conditional = False
    return c
