"""CoA-CTRL (Algorithm 1) on MNIST 32x32: CTRL's settings with CoA-ratio 1.3
(the paper's value for MNIST)."""

from tfgen.config import ctrl_config


def get_config():
    return ctrl_config("mnist", coa_ratio=1.3)
