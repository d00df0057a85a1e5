"""CoopInit on ring8: the first N_coop = 256,000 examples (1,001 steps of 256:
Algorithm 2 cooperates while N <= N_coop) train the MLPs as CoopNets
(T = 10), then the non-saturating GAN continues with the same networks and
optimizers. The results below were measured with 1,000 cooperative steps,
before the switch was moved one step later to match Algorithm 2.

eta = 0.003 instead of grid25's 0.05: ring8's modes have std 0.01, and the
Langevin noise N(0, 2 eta) of eta = 0.05 (std 0.32 per step) left the
generator on a blurred ring that 1,000 adversarial steps did not sharpen
(0 of 8 modes for seeds 0-2, bench/mode_coverage.py). With eta = 0.003:
7 / 8 / 0 modes (high-quality fractions 0.24 / 0.32 / 0.0) for seeds 0 / 1 / 2;
eta = 0.01 gave 2 modes at seed 0. Not yet reliable; see docs/BENCHMARKS.md.
"""

from tfgen import recipes


def get_config():
    c = recipes.coopinit("ring8")
    c.model.step_size = 0.003
    return c
