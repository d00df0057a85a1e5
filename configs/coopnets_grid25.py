"""CoopNets (Xie et al. 2018, Algorithm 1) on grid25, MLP descriptor and generator.

grid25's modes have std 0.05, five times ring8's, so the Langevin step is
0.01 (a fifth of a mode's std, as configs/coopnets_ring8.py's 0.002 is of
ring8's 0.01) with the generator noise of step G0 at the same scale
(sigma = 0.01), and the descriptor and generator rates of the ring8 config
(Adam 3e-3 / 1e-4). The reference keeps s = 1: with s = 0.08 (ring8's
s = 0.016 scaled to the grid's extent) the descriptor learned no mode
structure in 2,000 steps (seed 0: f 600 higher at the modes than between
them against 1,700 with s = 1, and the revision did not move the drafts
towards the modes); bench/coopnets_mixture_probe.py, docs/BENCHMARKS.md,
"CoopNets on the 2-D mixtures".
"""

from tfgen import recipes


def get_config():
    c = recipes.coopnets("grid25")
    c.model.step_size = 0.01
    c.model.gen_noise_std = 0.01
    c.model.ref_std = 1.0
    c.optim.d_lr = 3e-3
    c.optim.g_lr = 1e-4
    return c
