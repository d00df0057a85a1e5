"""Algorithm G alone (alternating back-propagation) on ring8: an MLP
generator with 2-D latents, inferred by 30 Langevin steps per batch."""

from tfgen import recipes


def get_config():
    return recipes.alternating_backprop("ring8")
