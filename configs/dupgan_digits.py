"""DupGAN (Hu et al. 2018), MNIST -> scikit-learn's digits framed as MNIST
(digits_mnist_frame, 28x28; tfgen/data/digits_frame.py), the USPS-like pair;
otherwise as configs/dupgan_mnistm_like.py."""

from tfgen import config


def get_config():
    c = config.base_config("dupgan")
    c.data.name, c.data.target = "mnist", "digits_mnist_frame"
    c.data.image_size = 28
    c.data.batch_size = 64
    c.train.steps = 10_000
    return c
