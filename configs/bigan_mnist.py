"""BiGAN on MNIST (Donahue et al. 2017, Sec. 4.2: permutation-invariant MNIST);
settings in tfgen.recipes.bigan_mnist. bench/bigan.py measures the features
and the reconstructions at a smaller budget (docs/benchmarks/bigan_consensus.md)."""

from tfgen import recipes


def get_config():
    return recipes.bigan_mnist("bigan")
