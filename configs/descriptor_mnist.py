"""Algorithm D alone (Xie et al. 2016): the descriptor with its own Langevin
chains, here short-run chains from the reference N(0, s^2 I) (see
tfgen/models/alternating.py). There is no generator: the export's sample part
runs those chains (no latent input)."""

from tfgen import recipes


def get_config():
    return recipes.descriptor("mnist")
