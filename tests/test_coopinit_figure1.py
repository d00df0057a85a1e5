"""CoopInit's Figure 1 at small scale: grid25, GAN alone vs GAN with CoopInit.

Same MLP networks, seeds and budget (1,000 steps of 256 examples); CoopInit
spends the examples N <= N_coop = 128,000 (501 steps, Algorithm 2) as
CoopNets (T = 10 Langevin steps, eta = 0.05). Measured here, modes covered
of 25 for seeds 0..5 (two executions of seeds 0-2 gave the same counts):
CoopInit 17/19/19/17/20/21, the plain non-saturating GAN 16/17/11/15/8/9,
with 500 cooperative steps and the data order before the stream became a
function of (seed, batch number); with 501 steps and that stream, seeds 0-2
gave CoopInit 16/19/20 and the GAN 4/15/17. At 800
steps (400 cooperative) the gap was smaller and seed 1 reversed (15 vs 19);
at 2,000 steps (1,000 cooperative) the per-seed gap was not reliable either
(19 vs 19 at seed 0 in one execution), so the test uses 1,000 steps and
the mean over seeds 0-2.
"""

import keras
import numpy as np
import pytest

from tfgen import data
from tfgen.metrics import mixture_mode_stats
from tfgen.models.coopinit import CoopInitModel
from tfgen.networks.mlp import mlp_discriminator, mlp_generator

pytestmark = pytest.mark.slow
STEPS, BATCH = 1000, 256


def modes_covered(seed, coop_examples):
    keras.utils.set_random_seed(seed)
    m = CoopInitModel(mlp_generator(2, (2,), hidden=(128,) * 3),
                      mlp_discriminator((2,), hidden=(128,) * 3), 2,
                      coop_examples=coop_examples, langevin_steps=10,
                      step_size=0.05, seed=seed)
    m.compile({p: keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9)
               for p in ("generator", "discriminator")})
    m.fit(data.make_dataset("grid25", BATCH, seed=seed), steps_per_epoch=STEPS,
          epochs=1, verbose=0)
    spec = data.mixture_spec("grid25")
    return mixture_mode_stats(m.generate(2500, seed=1).numpy(), spec.centers,
                              spec.std)["modes_covered"]


def test_coopinit_covers_more_grid_modes_than_the_plain_gan():
    coop = [modes_covered(s, STEPS // 2 * BATCH) for s in range(3)]
    gan = [modes_covered(s, 0) for s in range(3)]
    print("modes covered: CoopInit", coop, "GAN", gan)
    assert np.mean(coop) > np.mean(gan) + 2
