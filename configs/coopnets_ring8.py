"""CoopNets (Xie et al. 2018, Algorithm 1) on ring8, MLP descriptor and generator.

The mixtures' defaults (Langevin step 0.05, reference s = 1, sigma = 0.1,
Adam 1e-3 for both networks) covered 0 of 8 modes: each Langevin step's
noise (0.05) was five times a mode's std (0.01) and about eight times the
drift, so the revision diffused the drafts instead of moving them to the
modes, the descriptor stayed nearly flat and the generator collapsed onto an
arc (bench/coopnets_mixture_probe.py; docs/BENCHMARKS.md, "CoopNets on the
2-D mixtures"). Smaller steps alone did not fix it, and a faster descriptor
(Adam 1e-2) made the Langevin dynamics overshoot and run away on one seed of
three. This config takes the Langevin settings of the authors' TensorFlow
release (jianwen-xie/CoopNets: step 0.002, reference s = 0.016, generator
Adam 1e-4), which put the step's noise far below a mode's width and confine
the chains; the generator noise of step G0 is sigma = 0.002 (Algorithm 1's
e, at the step's scale) and the descriptor's Adam rate is 3e-3, between the
release's 1e-3 (the generator collapsed on one seed of three) and 1e-2 (run
away on one seed of three).
"""

from tfgen import recipes


def get_config():
    c = recipes.coopnets("ring8")
    c.model.step_size = 0.002
    c.model.ref_std = 0.016
    c.model.gen_noise_std = 0.002
    c.optim.d_lr = 3e-3
    c.optim.g_lr = 1e-4
    return c
