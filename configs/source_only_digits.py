"""Source-only baseline for MNIST -> scikit-learn's digits framed as MNIST
(digits_mnist_frame; DANN's networks and optimizer, lambda = 0);
tfgen.recipes.domain_adaptation, docs/benchmarks/domain_adaptation.md."""

from tfgen import recipes


def get_config():
    return recipes.domain_adaptation("source_only", "mnist", "digits_mnist_frame",
                                     image_size=28)
