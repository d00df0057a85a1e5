"""Source-only baseline: DANN's networks and optimizer on the source labels only
(lambda = 0), the paper's 'source only' row.

MNIST -> MNIST-M-like (tfgen/data/mnistm_like.py: MNIST blended over CIFAR-10
photo patches as Ganin et al. built MNIST-M; not MNIST-M, so numbers are our own).
The source is MNIST in 3 channels (mnist_rgb), since one network reads both.

Numbers from the paper: batch 128 split half source, half target
(data.batch_size = 64 per domain here), mu_0 = 0.01, momentum 0.9; the
MNIST architecture of its Fig. 4 (networks dann_*). train.steps is ours
(the schedules run over it); bench/domain_adaptation.py reports what a
CPU budget reaches.
"""

from tfgen import config


def get_config():
    c = config.base_config("source_only")
    c.data.name = "mnist_rgb"
    c.data.target = "mnistm_like"
    c.data.batch_size = 64
    c.data.image_size = 0
    c.optim.name = "sgd"
    c.optim.base_lr = 0.01
    c.train.steps = 10_000
    return c
