"""Quality metrics: pure float64 functions over samples or feature activations.

The feature network is injected by the caller (TF-GAN style): every metric
takes activations or samples as arrays and returns plain Python floats.

* ``frechet``: FID-style Fréchet distance; streams to any n, biased at small n.
* ``kid``: KID, unbiased; preferred below about 5,000 samples.
* ``scores``: Inception/classifier score; reference-free, report beside FID.
* ``precision_recall``: fidelity vs coverage (Kynkäänniemi et al. 2019).
* ``modes``: mode coverage of 2-D mixtures and Stacked MNIST.
* ``streaming``: batch-wise mean/covariance (and a capped feature store).
"""

from tfgen.metrics.frechet import (  # noqa: F401
    frechet_distance, frechet_distance_from_activations, gaussian_stats, sqrtm_psd)
from tfgen.metrics.kid import (  # noqa: F401
    kernel_inception_distance, mmd2_unbiased, polynomial_kernel)
from tfgen.metrics.modes import (  # noqa: F401
    kl_to_uniform, mixture_mode_stats, stacked_mnist_mode_stats)
from tfgen.metrics.precision_recall import precision_recall  # noqa: F401
from tfgen.metrics.scores import class_balance, classifier_score  # noqa: F401
from tfgen.metrics.streaming import FeatureStats, stream_features  # noqa: F401
