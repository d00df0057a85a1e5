"""Quality metrics: pure functions over samples or feature activations."""

from tfgen.metrics.modes import mixture_mode_stats, stacked_mnist_mode_stats  # noqa: F401
