"""Source-only baseline for MNIST -> scikit-learn's digits (DANN's networks and
optimizer, lambda = 0); tfgen.recipes.domain_adaptation."""

from tfgen import recipes


def get_config():
    return recipes.domain_adaptation("source_only", "mnist", "digits", image_size=28)
