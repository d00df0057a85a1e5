"""Source-only baseline for MNIST -> MNIST-M-like: DANN's networks and optimizer
on the source labels only (lambda = 0), the paper's 'source only' row
(configs/dann_mnistm_like.py; tfgen.recipes.domain_adaptation)."""

from tfgen import recipes


def get_config():
    return recipes.domain_adaptation("source_only", "mnist_rgb", "mnistm_like")
