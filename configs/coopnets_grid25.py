"""CoopNets (Xie et al. 2018, Algorithm 1) on grid25, MLP descriptor and generator.

grid25 spans [-4, 4] with modes of std 0.05; ring8 spans [-1, 1] with
modes of std 0.01. The earlier grid25 config (Langevin step 0.01,
reference s = 1, sigma = 0.01, unscaled MLPs) covered 18 / 3 / 21 modes
after 2,000 steps and ran away when trained longer (seed 0: the revised
examples 65 units from the origin at step 3,000, no mode covered by step
4,000); a swish or softplus descriptor, l_D = 30, a latent of size 8,
steps 0.03 and 0.05 and other learning rates did not help.

What did: both networks work in units of a quarter of the grid
(``net.*.scale = 4``: the generator's output is multiplied by 4 and the
descriptor's input divided by 4), and the Langevin settings are ring8's
(configs/coopnets_ring8.py: step 0.002, s = 0.016, sigma = 0.002) times 4.
In those units grid25 is the same size as ring8, and Langevin dynamics
with step k·delta and reference k·s on f(x / k) is k times the chain of
step delta on f (tests/test_mlp_scale.py checks this), so this is ring8's
working recipe, unchanged, on the larger grid. Without the networks'
scaling the same Langevin settings ran away by step 4,000 (seed 0):
the networks' scale, not the step, was what mattered. 8,000 steps,
3 seeds: 25 / 22 / 25 modes, KL 0.32 mean (docs/BENCHMARKS.md, "CoopNets
on the 2-D mixtures").
"""

from tfgen import recipes

SCALE = 4.0


def get_config():
    c = recipes.coopnets("grid25")
    c.net.generator.scale = SCALE
    c.net.descriptor.scale = SCALE
    c.model.step_size = 0.002 * SCALE
    c.model.ref_std = 0.016 * SCALE
    c.model.gen_noise_std = 0.002 * SCALE
    c.optim.d_lr = 3e-3
    c.optim.g_lr = 1e-4
    c.train.steps = 8000
    c.train.checkpoint_every = 1000
    return c
