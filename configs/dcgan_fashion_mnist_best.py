"""``dcgan_fashion_mnist`` with both learning rates 4e-4 and Adam beta1 = 0.

The recipe of ``configs/dcgan_mnist_best.py`` carried over to Fashion-MNIST
unchanged (issue 16, part 1: does it transfer?). Measured at 2,000 steps of
64, seeds 0, 1, 2, 5,000 samples against the 10,000 test images, with the
project's Fashion-MNIST classifier (docs/BENCHMARKS.md, "The recipe on
Fashion-MNIST"; bench/results/quality_dcgan_fashion_mnist_piece_*.json):

* this config: FCD 872 / 834 / 872 (mean 859) against 1230 / 1152 / 1288
  (mean 1223) for ``dcgan_fashion_mnist``; classifier score 5.13-5.28
  against 4.11-4.42; recall 0.446 / 0.426 / 0.439 against 0.282 / 0.347 /
  0.203; precision 0.705 / 0.693 / 0.712 against 0.713 / 0.694 / 0.694
  (unchanged).

Measured at 2,000 steps only, far from issue 16's 30-minute budget; its FID
at 10,000 samples was not measured.

Everything else is ``dcgan_fashion_mnist``'s: non-saturating loss, Adam
beta2 = 0.999 for both players, DCGAN networks of width 64, latent 64,
batch 64.
"""

from tfgen import recipes


def get_config():
    c = recipes.gan("fashion_mnist")
    c.optim.beta1 = 0.0
    c.optim.g_lr = c.optim.d_lr = 4e-4
    return c
