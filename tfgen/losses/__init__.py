"""Loss functions: pure, mean over the local batch, no distribution scaling."""

from tfgen.losses.adversarial import (  # noqa: F401
    ADVERSARIAL_LOSSES,
    gan_discriminator_loss,
    hinge_discriminator_loss,
    hinge_generator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from tfgen.losses.information import (  # noqa: F401
    mutual_information_bound,
    mutual_information_penalty,
)
from tfgen.losses.semi_supervised import (  # noqa: F401
    feature_matching_loss,
    semi_supervised_classifier_loss,
    semi_supervised_discriminator_loss,
    semi_supervised_generator_loss,
)
from tfgen.losses.penalties import gradient_penalty, r1_penalty  # noqa: F401
from tfgen.losses.cooperative import descriptor_mle_loss, mcmc_teaching_loss  # noqa: F401
from tfgen.losses.rate_reduction import (  # noqa: F401
    coding_rate,
    delta_r,
    delta_r_conditional,
    delta_r_within,
    normalize,
)
from tfgen.losses.auxiliary import acgan_discriminator_loss, acgan_generator_loss  # noqa: F401
from tfgen.losses.consensus import consensus_gradients  # noqa: F401
from tfgen.losses.policy_gradient import (  # noqa: F401
    discriminator_loss as seqgan_discriminator_loss,
    mle_loss,
    policy_gradient_loss,
    rollout_rewards,
)
from tfgen.losses.paired import l1_reconstruction_loss, pix2pix_generator_loss  # noqa: F401
