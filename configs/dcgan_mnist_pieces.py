"""``dcgan_mnist`` with every piece that issue 16 measures exposed, all off.

Trains exactly as ``configs/dcgan_mnist.py`` does; it adds the one field that
the base config lacks, ``optim.lr_decay_steps`` (0: constant rates; n > 0:
both rates fall linearly to 0 at step n), so that each piece is a
command-line override of one file:

* EMA of the generator weights: ``--config.model.ema_decay=0.999``;
* TTUR (Heusel et al. 2017): ``--config.optim.d_lr=4e-4 --config.optim.g_lr=1e-4``;
* Adam beta1 = 0: ``--config.optim.beta1=0.0``;
* linear learning-rate decay over the run: ``--config.optim.lr_decay_steps=<steps>``.

docs/BENCHMARKS.md, "What each piece buys on dcgan_mnist", has the
measurements.
"""

from tfgen import recipes


def get_config():
    c = recipes.gan("mnist")
    c.optim.lr_decay_steps = 0
    return c
