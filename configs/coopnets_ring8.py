"""CoopNets on ring8 with MLP descriptor and generator.

Known not to work yet: in bench/mode_coverage.py (2,000 steps, seeds 0-2) no
generated sample fell within 3 std (0.03) of a mode; the samples form a ring
of radius about 1.36. Langevin step 0.01 gave 1 mode and 0.003 none (seed 0).
The generator regresses on Langevin-revised examples whose noise is much
wider than the modes; use ``abp_ring8`` (6-8 modes but few samples within
3 std) or the GAN configs for mode-coverage work until this is tuned.
With step G0's generator noise of Algorithm 1 (model.add_gen_noise, now on;
sigma = 0.1) seed 0 also covers 0 of 8 modes at 2,000 steps, as without it.
"""

from tfgen import recipes


def get_config():
    return recipes.coopnets("ring8")
