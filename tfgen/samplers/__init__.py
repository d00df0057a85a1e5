"""MCMC samplers, each a compiled function of (energy, start, steps, step size, seed).

``tfgen.samplers.langevin`` is the module; its generic sampler is
``tfgen.samplers.langevin.langevin``.
"""

from tfgen.samplers.langevin import coopinit_langevin, coopnets_revise  # noqa: F401
