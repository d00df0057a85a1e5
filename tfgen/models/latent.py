"""Games with a generator fed from a latent prior (most of the library).

``LatentGame`` adds to :class:`tfgen.models.base.Game` the two
hyper-parameters of a latent generator (``latent_dim``, ``prior``), composes
a :class:`tfgen.priors.Prior` from them, averages the generator's weights
when ``ema_decay`` > 0, and exports a ``sample`` part. A method whose prior
is fitted during training (CTRL's sphere) overrides :meth:`latent_prior`.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute, priors
from tfgen.models.base import Game


@keras.saving.register_keras_serializable(package="tfgen")
class LatentGame(Game):
    """A game whose ``generator`` maps latents from a prior to examples."""

    networks = ("generator",)
    ema_networks = ("generator",)
    hparams = {"latent_dim": 64, "prior": "normal"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.latent_dim < 1:
            raise ValueError(f"latent_dim must be >= 1, got {self.latent_dim}")
        self.latent = priors.Prior(getattr(self, "prior", "normal"), self.latent_dim)

    def latent_prior(self) -> priors.Prior:
        """The prior that samples and the export draw from."""
        return self.latent

    def sample_latents(self, batch_size, stream: int) -> tf.Tensor:
        """This replica's latents for ``batch_size`` local examples."""
        global_batch = batch_size * distribute.num_replicas()
        z = self.latent.sample(global_batch, self.draw_seed(stream))
        return distribute.local_slice(z)

    def call(self, latents, training=False):
        return self.generator(latents, training=training)

    def generate(self, num: int, seed: int = 0) -> tf.Tensor:
        """``num`` samples of the averaged generator (eager), latents [seed, 0]."""
        z = self.latent_prior().sample(num, tf.constant([seed, 0], tf.int32))
        return self.averaged("generator")(z, training=False)

    def export_parts(self) -> dict:
        from tfgen import export_parts

        return {"sample": export_parts.SamplePart(self.averaged("generator"),
                                                  self.latent_prior())}
