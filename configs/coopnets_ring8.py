"""CoopNets on ring8 with MLP descriptor and generator."""

from tfgen import recipes


def get_config():
    return recipes.coopnets("ring8")
