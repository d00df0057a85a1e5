"""Closed-loop transcription: CTRL and CoA-CTRL.

Encoder f(·, θ) and decoder g(·, η) (named ``generator`` so export, EMA and
sampling work as for every method); Z = f(X), X̂ = g(Z), Ẑ = f(X̂), features
normalized onto the unit sphere, objective ΔR(Z, Ẑ) (CoA-CTRL eq. 6-7).

The encoder is used three times (CoA-CTRL eqs. 8-12): θ1 in X → Z feeding
the decoder, θ2 in X̂ → Ẑ and θ3 in X → Z as the critic's input. One step:

1. Adversarial pass (both methods): the encoder ascends ΔR with g_θ2 + g_θ3
   only: X̂ = g(stop_gradient(Z)) cuts the θ1 path. For CoA-CTRL the
   encoder's learning rate is multiplied by the CoA-ratio for this update
   (Algorithm 1), through a multiplier on its learning-rate schedule, so the
   two passes share one Adam state as in the paper.
2. CTRL (Dai et al. 2022; CoA-CTRL Algorithm 2): the loop is recomputed and
   the decoder descends ΔR. CoA-CTRL (Algorithm 1): the loop is recomputed
   and the encoder (g_θ1 + g_θ2 + g_θ3) and the decoder (g_η) both descend ΔR.

Running moments of the normalized training features give the export's
``sphere`` prior: a Gaussian fitted to them, projected onto the sphere.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgen import distribute
from tfgen.losses.rate_reduction import coding_rate, delta_r, normalize
from tfgen.models.adversarial import images_of
from tfgen.models.base import GenerativeModel


@keras.saving.register_keras_serializable(package="tfgen")
class ScaledSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate (constant or schedule) times a variable multiplier."""

    def __init__(self, base, multiplier):
        self.base = base
        self.multiplier = multiplier

    def __call__(self, step):
        base = self.base(step) if callable(self.base) else self.base
        return base * self.multiplier

    def get_config(self):
        base = self.base
        if isinstance(base, keras.optimizers.schedules.LearningRateSchedule):
            base = keras.saving.serialize_keras_object(base)
        return {"base": base, "multiplier": float(np.asarray(self.multiplier))}


@keras.saving.register_keras_serializable(package="tfgen")
class CTRLModel(GenerativeModel):
    """CTRL (``coa_ratio`` = 0) or CoA-CTRL (``coa_ratio`` > 0)."""

    network_names = ("encoder", "generator")
    loss_names = ("delta_r", "rate_union", "recon_mse")

    def __init__(self, encoder, generator, latent_dim, eps_sq=0.5, coa_ratio=0.0,
                 moment_decay=0.99, **kwargs):
        kwargs.setdefault("prior", "sphere")
        super().__init__(generator, latent_dim, **kwargs)
        self.encoder = encoder
        self.eps_sq = float(eps_sq)
        self.coa_ratio = float(coa_ratio)
        self.moment_decay = float(moment_decay)
        self.lr_multiplier = keras.Variable(1.0, trainable=False, name="lr_multiplier",
                                            aggregation="only_first_replica")
        d = int(latent_dim)
        self.feature_mean = keras.Variable(np.zeros(d, np.float32), trainable=False,
                                           aggregation="only_first_replica")
        self.feature_second = keras.Variable(np.eye(d, dtype=np.float32) / d,
                                             trainable=False,
                                             aggregation="only_first_replica")

    def hyperparameters(self):
        return dict(super().hyperparameters(), eps_sq=self.eps_sq,
                    coa_ratio=self.coa_ratio, moment_decay=self.moment_decay)

    def encode(self, x, training=True):
        return normalize(tf.cast(self.encoder(x, training=training), tf.float32))

    def adversarial_loss(self, x):
        """−ΔR with the θ1 path cut: its gradient is −(g_θ2 + g_θ3)."""
        z = self.encode(x)
        x_bar = self.generator(tf.stop_gradient(z), training=True)
        return -delta_r(z, self.encode(x_bar), self.eps_sq)

    def train_step(self, data):
        x = images_of(data)
        # 1. Adversarial pass: the encoder as a critic ascends ΔR.
        with tf.GradientTape() as tape:
            scaled = self.scale(self.adversarial_loss(x), "encoder")
        if self.coa_ratio > 0:
            self.lr_multiplier.assign(self.coa_ratio)
        self.update("encoder", tape, scaled)
        if self.coa_ratio > 0:
            self.lr_multiplier.assign(1.0)
        # 2. Recompute the loop; descend ΔR (decoder, or both for CoA-CTRL).
        with tf.GradientTape() as tape:
            z = self.encode(x)
            x_bar = self.generator(z, training=True)
            z_hat = self.encode(x_bar)
            dr = delta_r(z, z_hat, self.eps_sq)
            scaled = self.scale(dr, "generator")
        gen_vars = self.player_variables("generator")
        if self.coa_ratio > 0:
            enc_vars = self.player_variables("encoder")
            grads = tape.gradient(scaled, enc_vars + gen_vars)
            self.optimizer_for("encoder").apply_gradients(zip(grads[:len(enc_vars)], enc_vars))
            self.optimizer_for("generator").apply_gradients(zip(grads[len(enc_vars):], gen_vars))
        else:
            self.update("generator", tape, scaled, gen_vars)
        self._update_moments(tf.stop_gradient(z))
        self.finish_step()
        return self.track(delta_r=dr,
                          rate_union=coding_rate(tf.concat([z, z_hat], 0), self.eps_sq),
                          recon_mse=tf.reduce_mean(tf.square(x - x_bar)))

    def _update_moments(self, z):
        n = distribute.all_reduce_sum(tf.cast(tf.shape(z)[0], tf.float32))
        mean = distribute.all_reduce_sum(tf.reduce_sum(z, 0)) / n
        second = distribute.all_reduce_sum(tf.matmul(z, z, transpose_a=True)) / n
        d = tf.where(self.step_counter == 0, 0.0, self.moment_decay)
        self.feature_mean.assign(d * self.feature_mean + (1 - d) * mean)
        self.feature_second.assign(d * self.feature_second + (1 - d) * second)

    def export_prior(self) -> dict:
        """Gaussian fitted to the running feature moments, for the sphere prior."""
        m = self.feature_mean.numpy().astype(np.float64)
        cov = self.feature_second.numpy() - np.outer(m, m) + 1e-5 * np.eye(len(m))
        return {"prior": "sphere", "mean": m.astype(np.float32),
                "scale_tril": np.linalg.cholesky(cov).astype(np.float32)}

    def generate(self, num: int, seed: int = 0):
        from tfgen import priors

        p = self.export_prior()
        z = priors.sample("sphere", [num, self.latent_dim], tf.constant([seed, 0], tf.int32),
                          mean=p["mean"], scale_tril=p["scale_tril"])
        return self.sampling_generator()(z, training=False)
