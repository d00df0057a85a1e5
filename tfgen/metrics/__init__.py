"""Quality metrics: pure functions over samples or feature activations."""

from tfgen.metrics.frechet import frechet_distance, frechet_distance_from_activations  # noqa: F401
from tfgen.metrics.kid import kernel_inception_distance, mmd2_unbiased  # noqa: F401
from tfgen.metrics.modes import mixture_mode_stats, stacked_mnist_mode_stats  # noqa: F401
from tfgen.metrics.precision_recall import precision_recall  # noqa: F401
from tfgen.metrics.scores import classifier_score  # noqa: F401
