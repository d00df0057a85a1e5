"""CTRL (Dai et al. 2022; CoA-CTRL Algorithm 2) on MNIST resized to 32x32,
with the CoA-CTRL appendix settings (see tfgen.config.ctrl_config)."""

from tfgen.config import ctrl_config


def get_config():
    return ctrl_config("mnist", coa_ratio=0.0)
