"""Source-only baseline: DANN's networks and optimizer on the source labels only
(lambda = 0), the paper's 'source only' row.

MNIST -> scikit-learn's digits (other writers and scanner, 8x8 upsampled to
28x28 by data.image_size): a second, USPS-like shift.

Numbers from the paper: batch 128 split half source, half target
(data.batch_size = 64 per domain here), mu_0 = 0.01, momentum 0.9; the
MNIST architecture of its Fig. 4 (networks dann_*). train.steps is ours
(the schedules run over it); bench/domain_adaptation.py reports what a
CPU budget reaches.
"""

from tfgen import config


def get_config():
    c = config.base_config("source_only")
    c.data.name = "mnist"
    c.data.target = "digits"
    c.data.batch_size = 64
    c.data.image_size = 28
    c.optim.name = "sgd"
    c.optim.base_lr = 0.01
    c.train.steps = 10_000
    return c
