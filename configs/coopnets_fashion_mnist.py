"""CoopNets (Xie et al. 2018, Algorithm 1) on Fashion-MNIST.

Descriptor of the paper's Sec. 5.2 (64 5x5/2, 128 3x3/2, 256 3x3/1, FC 100
summed), DCGAN generator; l_D = 10 Langevin steps; X~ = X^ (l_G = 0) as the
paper's experiments. Same Langevin step (0.002), reference s = 0.016 and
Adam rates (1e-3 descriptor, 5e-4 generator) as coopnets_mnist, whose 500-step
sweep chose them.

Not working yet: on Fashion-MNIST the Langevin revision runs away within 250
steps (revised scores of 1e10 and more, generator regression error in the
hundreds) with these settings, with step 0.001, and with the earlier
step 0.02 / s = 1 / Adam(1e-4) recipe; descriptor Adam(1e-4) with this recipe
stays finite but learns nothing in 500 steps; projecting the revisions into
[-1, 1] (model.clip_revised) keeps the regression error small but the scores
still run away and the samples are black (docs/BENCHMARKS.md). All of this
was measured before step G0 added the generator noise of Algorithm 1
(model.add_gen_noise, now on).
"""

from tfgen import recipes


def get_config():
    return recipes.coopnets("fashion_mnist")
