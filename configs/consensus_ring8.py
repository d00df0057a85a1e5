"""Consensus optimization (Mescheder et al. 2017) on ring8: simultaneous updates
plus gamma = 10 times the gradient of 1/2 ||v||^2; the paper's 8-Gaussian
setting (tfgen.recipes.numerics_ring8; docs/benchmarks/bigan_consensus.md)."""

from tfgen import recipes


def get_config():
    return recipes.numerics_ring8("consensus")
