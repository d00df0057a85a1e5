"""Simultaneous updates on ring8: the baseline of Mescheder et al. 2017's
8-Gaussian experiment (tfgen.recipes.numerics_ring8;
docs/benchmarks/bigan_consensus.md)."""

from tfgen import recipes


def get_config():
    return recipes.numerics_ring8("simultaneous")
