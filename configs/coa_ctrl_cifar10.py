"""CoA-CTRL (Algorithm 1) on CIFAR-10: the settings of configs/ctrl_cifar10.py
with CoA-ratio 1.5, the paper's value outside MNIST (appendix A.2.1)."""

from tfgen.config import ctrl_config


def get_config():
    c = ctrl_config("cifar10", coa_ratio=1.5)
    c.model.conditional = False
    c.data.image_size = 0  # native 32x32
    c.data.batch_size = 512
    c.optim.beta1, c.optim.beta2 = 0.5, 0.9
    c.train.steps = 20_000
    c.train.checkpoint_every = 1000
    return c
