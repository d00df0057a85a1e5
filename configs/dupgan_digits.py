"""DupGAN (Hu et al. 2018), MNIST -> scikit-learn's digits framed as MNIST
(digits_mnist_frame, 28x28; tfgen/data/digits_frame.py), the USPS-like pair;
otherwise as configs/dupgan_mnistm_like.py, except the pseudo-labels:
class-balanced selection (Zou et al. 2018; each class keeps its most confident
20 % -> 50 % of the target batch over the adapt stage) instead of the 0.9
threshold, measured better on both directions of this pair on 3 seeds
(docs/benchmarks/domain_adaptation.md, "Class-balanced pseudo-labels")."""

from tfgen import config


def get_config():
    c = config.base_config("dupgan")
    c.data.name, c.data.target = "mnist", "digits_mnist_frame"
    c.data.image_size = 28
    c.data.batch_size = 64
    c.train.steps = 10_000
    c.model.pseudo_label_rule = "class_balanced"
    return c
