"""DANN, MNIST -> scikit-learn's digits (other writers and scanner, 8x8 upsampled
to 28x28 by data.image_size): a second, USPS-like shift. Settings in
tfgen.recipes.domain_adaptation."""

from tfgen import recipes


def get_config():
    return recipes.domain_adaptation("dann", "mnist", "digits", image_size=28)
