"""DupGAN (Hu et al. 2018, CVPR), MNIST -> MNIST-M-like (tfgen/data/mnistm_like.py;
not MNIST-M, so numbers are our own). Encoder and classifier are DANN's MNIST
networks (dann_features, dann_classifier) so the two methods compare on one
classifier; generator and (K+1)-way discriminators in tfgen/networks/dupgan.py.
Batches of 64 source + 64 target as in recipes.domain_adaptation; Adam at 2e-4
(beta1 0.5) for all three players and the loss weights are the model's
defaults (tfgen/models/dupgan.py says which are our choices);
bench/domain_adaptation.py reports what a CPU budget reaches."""

from tfgen import config


def get_config():
    c = config.base_config("dupgan")
    c.data.name, c.data.target = "mnist_rgb", "mnistm_like"
    c.data.batch_size = 64
    c.train.steps = 10_000
    return c
