"""DANN (Ganin et al. 2016): gradient reversal with the paper's schedules
(lambda_p = 2/(1+exp(-10p)) - 1, mu_p = 0.01/(1+10p)^0.75), MNIST -> MNIST-M-like
(tfgen/data/mnistm_like.py: MNIST blended over CIFAR-10 photo patches as
Ganin et al. built MNIST-M; not MNIST-M, so numbers are our own). The source
is MNIST in 3 channels (mnist_rgb), since one network reads both. Settings in
tfgen.recipes.domain_adaptation; bench/domain_adaptation.py reports what a CPU
budget reaches."""

from tfgen import recipes


def get_config():
    return recipes.domain_adaptation("dann", "mnist_rgb", "mnistm_like")
