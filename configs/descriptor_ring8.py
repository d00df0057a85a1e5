"""Algorithm D alone on ring8: an MLP energy sampled by short-run Langevin
chains (60 steps of size 0.05) from the reference distribution; nothing is
exported (there is no generator)."""

from tfgen.config import toy_mixture_config


def get_config():
    c = toy_mixture_config("ring8")
    c.method = "descriptor"
    c.model.langevin_steps = 60
    c.model.step_size = 0.05
    c.optim.d_lr = 1e-3
    c.export.enabled = False
    return c
