"""Algorithm D alone on ring8: an MLP energy sampled by short-run Langevin
chains (60 steps of size 0.05) from the reference distribution; the export's
sample part runs those chains (there is no generator)."""

from tfgen import recipes


def get_config():
    return recipes.descriptor("ring8")
