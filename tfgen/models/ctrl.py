"""Closed-loop transcription: CTRL and CoA-CTRL.

Encoder f(·, θ) and decoder g(·, η) (named ``generator``: this is a
``LatentGame`` whose prior is fitted to the training features). The closed loop is
Z = f(X), X̂ = g(Z), Ẑ = f(X̂) (CoA-CTRL eqs. 4-5) with features on the
unit sphere, and the objective is T = ΔR(Z, Ẑ) (eqs. 6-7), or, with
``conditional=True``, the class-conditional objective of Dai et al. (2022,
eq. 12) T = ΔR(Z) + ΔR(Ẑ) + Σⱼ ΔR(Zⱼ, Ẑⱼ), where labels enter the objective.

The encoder is used three times (CoA-CTRL eqs. 8-12): θ1 maps X → Z for
the decoder, θ2 maps X̂ → Ẑ, θ3 maps X → Z as the critic's input. One step:

1. Adversarial pass (both methods; Algorithm 1, first half, which the paper
   calls "consistent with GAN and the original CTRL"): the encoder ascends T
   with g_θ2 + g_θ3 only; X̂ = g(stop_gradient(Z)) cuts the θ1 path. For
   CoA-CTRL the encoder's learning rate is multiplied by the CoA-ratio for
   this update and restored afterwards (Sec. 3.3), through a multiplier
   variable inside its learning-rate schedule. Both encoder updates then
   share one Adam state, as θ ← θ ± α·Adam(g) in Algorithm 1 does. (Scaling
   the gradient instead would do nothing: Adam's step is scale-invariant.)
2. The loop is recomputed with the updated encoder. CTRL (Algorithm 2; the
   paper: CTRL "would minimize ΔR merely through the decoder"): the decoder
   descends T. CoA-CTRL (Algorithm 1, cooperative process): the encoder
   (g_θ1 + g_θ2 + g_θ3) and the decoder (g_η) both descend T.

Rates are those of the global batch under MirroredStrategy (the loss module
all-reduces ZᵀZ); the differentiated loss is still divided by the number of
replicas (``self.scale``). Running moments of the normalized training
features give the export's ``sphere`` prior (Dai et al. 2022, Sec. 4);
with ``conditional=True`` also one per class, behind the export's
``conditional_sample`` part (samples of a chosen class).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgen import distribute, priors
from tfgen.losses.rate_reduction import coding_rate, delta_r, delta_r_conditional, normalize
from tfgen.models.latent import LatentGame


@keras.saving.register_keras_serializable(package="tfgen")
class ScaledSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate (a float or a schedule) times a variable multiplier.

    Args:
      base: float or ``LearningRateSchedule`` of the optimizer's iterations.
      multiplier: a scalar variable (``CTRLModel.lr_multiplier``), read at
        every update, so the model can change the rate of one update.
    """

    def __init__(self, base, multiplier):
        self.base = base
        self.multiplier = multiplier

    def __call__(self, step):
        base = self.base(step) if callable(self.base) else self.base
        return tf.cast(base, tf.float32) * tf.cast(self.multiplier, tf.float32)

    def get_config(self):
        base = self.base
        if isinstance(base, keras.optimizers.schedules.LearningRateSchedule):
            base = keras.saving.serialize_keras_object(base)
        return {"base": base, "multiplier": float(np.asarray(self.multiplier))}

    @classmethod
    def from_config(cls, config):
        base = config["base"]
        if isinstance(base, dict):
            base = keras.saving.deserialize_keras_object(base)
        return cls(base, config["multiplier"])


@keras.saving.register_keras_serializable(package="tfgen")
class CTRLModel(LatentGame):
    """CTRL (``coa_ratio`` = 0) or CoA-CTRL (``coa_ratio`` > 0).

    Networks: ``encoder`` (images → latent_dim features, normalized here) and
    ``generator`` (the decoder, features on the sphere → images).

    Hyper-parameters: ``latent_dim`` (nz); ``eps_sq`` (ε² of the coding
    rate, paper: 0.5); ``coa_ratio`` (the encoder's adversarial /
    cooperative learning-rate ratio; 0 trains plain CTRL); ``conditional``
    (the class-conditional objective: trains on labelled data, needs
    ``num_classes``); ``moment_decay`` (EMA decay of the feature moments
    behind the export's prior).
    """

    networks = ("encoder", "generator")
    hparams = {"latent_dim": 128, "eps_sq": 0.5, "coa_ratio": 0.0,
               "conditional": False, "num_classes": 0, "moment_decay": 0.99}
    loss_names = ("objective", "delta_r", "rate_union", "recon_mse")

    @classmethod
    def kind_for(cls, hparams: dict) -> str:
        # Conditional CTRL reads (images, labels) batches.
        return "labelled" if hparams.get("conditional") else "images"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.eps_sq <= 0 or self.coa_ratio < 0:
            raise ValueError(f"need eps_sq > 0 and coa_ratio >= 0, got {self.eps_sq}, "
                             f"{self.coa_ratio}")
        if self.conditional and self.num_classes < 2:
            raise ValueError("conditional CTRL needs num_classes >= 2 (labelled data); "
                             f"got {self.num_classes}")
        self.lr_multiplier = keras.Variable(1.0, trainable=False, name="lr_multiplier",
                                            aggregation="only_first_replica")
        d, k = self.latent_dim, self.num_classes
        self.feature_mean = keras.Variable(np.zeros(d, np.float32), trainable=False,
                                           name="feature_mean",
                                           aggregation="only_first_replica")
        # Before any step: E[zzᵀ] = I/d, the uniform distribution on the sphere.
        self.feature_second = keras.Variable(np.eye(d, dtype=np.float32) / d,
                                             trainable=False, name="feature_second",
                                             aggregation="only_first_replica")
        if self.conditional:
            self.class_mean = keras.Variable(np.zeros([k, d], np.float32),
                                             trainable=False, name="class_mean",
                                             aggregation="only_first_replica")
            self.class_second = keras.Variable(
                np.tile(np.eye(d, dtype=np.float32)[None] / d, [k, 1, 1]),
                trainable=False, name="class_second", aggregation="only_first_replica")
            self.class_seen = keras.Variable(np.zeros([k], np.float32), trainable=False,
                                             name="class_seen",
                                             aggregation="only_first_replica")

    def coa_schedule(self, base) -> ScaledSchedule:
        """The encoder's learning rate: ``base`` times this model's CoA multiplier."""
        return ScaledSchedule(base, self.lr_multiplier)

    def compile(self, optimizers, **kwargs):
        super().compile(optimizers, **kwargs)
        if self.coa_ratio > 0:
            lr = getattr(self.optimizer_for("encoder"), "_learning_rate", None)
            if not (isinstance(lr, ScaledSchedule) and lr.multiplier is self.lr_multiplier):
                raise ValueError("CoA-CTRL needs the encoder optimizer's learning rate "
                                 "to be model.coa_schedule(lr); build it that way")

    # ------------------------------------------------------- the loop --
    def encode(self, x, training=True):
        """Z = f(X) on the unit sphere."""
        return normalize(tf.cast(self.encoder(x, training=training), tf.float32))

    def closed_loop(self, x, cut_theta1=False, training=True):
        """Z = f(X), X̂ = g(Z), Ẑ = f(X̂) (eq. 4); ``cut_theta1`` stops the
        gradient of X̂ to the encoder (the θ1 use), keeping θ2 and θ3."""
        z = self.encode(x, training)
        x_bar = self.generator(tf.stop_gradient(z) if cut_theta1 else z,
                               training=training)
        return z, x_bar, self.encode(x_bar, training)

    def objective(self, z, z_hat, labels=None):
        """T: ΔR(Z, Ẑ) (eq. 7), or the class-conditional objective."""
        if not self.conditional:
            return delta_r(z, z_hat, self.eps_sq)
        if labels is None:
            raise ValueError("conditional CTRL needs (images, labels) batches; "
                             "make the dataset with with_labels=True")
        return delta_r_conditional(z, z_hat, labels, self.num_classes, self.eps_sq)

    # ---------------------------------------------------- the two passes --
    def adversarial_pass(self, x, labels=None):
        """Encoder ascends T with g_θ2 + g_θ3 (lr × CoA-ratio for CoA-CTRL)."""
        with tf.GradientTape() as tape:
            z, _, z_hat = self.closed_loop(x, cut_theta1=True)
            value = self.objective(z, z_hat, labels)
            scaled = self.scale(-value, "encoder")
        if self.coa_ratio > 0:
            self.lr_multiplier.assign(self.coa_ratio)
        self.update("encoder", tape, scaled)
        if self.coa_ratio > 0:
            self.lr_multiplier.assign(1.0)
        return value

    def cooperative_pass(self, x, labels=None):
        """Recomputed loop; the decoder (CTRL) or both players (CoA-CTRL) descend T.

        Returns:
          (T, Z, X̂, Ẑ) before this pass's update.
        """
        with tf.GradientTape() as tape:
            z, x_bar, z_hat = self.closed_loop(x)
            value = self.objective(z, z_hat, labels)
            scaled = self.scale(value, "generator")
        players = ("encoder", "generator") if self.coa_ratio > 0 else ("generator",)
        variables = [self.player_variables(p) for p in players]
        grads = tape.gradient(scaled, variables)
        for p, g, v in zip(players, grads, variables):
            self.optimizer_for(p).apply_gradients(zip(g, v))
        return value, z, x_bar, z_hat

    def train_step(self, data):
        # Data kind "labelled" ((images, labels)) when conditional, else "images".
        x, labels = self.batch(data) if self.conditional else (self.batch(data), None)
        # 1. Adversarial process: the encoder as a critic maximizes T.
        self.adversarial_pass(x, labels)
        # 2. Recompute the loop; minimize T (decoder, or both for CoA-CTRL).
        value, z, x_bar, z_hat = self.cooperative_pass(x, labels)
        z, z_hat = tf.stop_gradient(z), tf.stop_gradient(z_hat)
        self._update_moments(z, labels)
        self.finish_step()
        dr = delta_r(z, z_hat, self.eps_sq) if self.conditional else value
        return self.track(objective=value, delta_r=dr,
                          rate_union=coding_rate(tf.concat([z, z_hat], 0), self.eps_sq),
                          recon_mse=tf.reduce_mean(tf.square(x - tf.cast(x_bar, x.dtype))))

    # ------------------------------------------------------ the prior --
    def _update_moments(self, z, labels=None):
        """EMA of the global batch's E[z] and E[zzᵀ] (first step: copied);
        per class too when conditional (a class's first batch: copied)."""
        n = distribute.all_reduce_sum(tf.cast(tf.shape(z)[0], tf.float32))
        mean = distribute.all_reduce_sum(tf.reduce_sum(z, 0)) / n
        second = distribute.all_reduce_sum(tf.matmul(z, z, transpose_a=True)) / n
        d = tf.where(self.step_counter == 0, 0.0, self.moment_decay)
        self.feature_mean.assign(d * self.feature_mean + (1 - d) * mean)
        self.feature_second.assign(d * self.feature_second + (1 - d) * second)
        if labels is None:
            return
        onehot = tf.one_hot(tf.cast(labels, tf.int32), self.num_classes)
        count = distribute.all_reduce_sum(tf.reduce_sum(onehot, 0))
        sums = distribute.all_reduce_sum(tf.matmul(onehot, z, transpose_a=True))
        outer = distribute.all_reduce_sum(tf.einsum("bk,bi,bj->kij", onehot, z, z))
        safe = tf.maximum(count, 1.0)
        # Decay 1 (keep) for classes absent from the batch, 0 (copy) at first sight.
        dk = tf.where(count > 0, tf.where(self.class_seen > 0, self.moment_decay, 0.0), 1.0)
        self.class_mean.assign(dk[:, None] * self.class_mean
                               + (1 - dk[:, None]) * sums / safe[:, None])
        self.class_second.assign(dk[:, None, None] * self.class_second
                                 + (1 - dk[:, None, None]) * outer / safe[:, None, None])
        self.class_seen.assign(tf.maximum(self.class_seen, tf.cast(count > 0, tf.float32)))

    @staticmethod
    def _gaussian(m, s, jitter):
        m, s = np.asarray(m, np.float64), np.asarray(s, np.float64)
        cov = 0.5 * (s + s.T) - np.outer(m, m) + jitter * np.eye(len(m))
        return m.astype(np.float32), np.linalg.cholesky(cov).astype(np.float32)

    def export_prior(self, jitter: float = 1e-5) -> dict:
        """The sphere prior: a Gaussian with the running feature moments,
        cov = E[zzᵀ] − μμᵀ + jitter·I (cf. ``priors.fit_sphere_gaussian``)."""
        mean, tril = self._gaussian(self.feature_mean.numpy(),
                                    self.feature_second.numpy(), jitter)
        return {"prior": "sphere", "mean": mean, "scale_tril": tril}

    def latent_prior(self) -> priors.Prior:
        p = self.export_prior()
        return priors.Prior("sphere", self.latent_dim, p["mean"], p["scale_tril"])

    def class_priors(self, jitter: float = 1e-5) -> priors.ClassPriors:
        """One sphere Gaussian per class, from the per-class running moments."""
        pairs = [self._gaussian(m, s, jitter) for m, s in
                 zip(self.class_mean.numpy(), self.class_second.numpy())]
        return priors.ClassPriors(np.stack([p[0] for p in pairs]),
                                  np.stack([p[1] for p in pairs]))

    def export_parts(self) -> dict:
        from tfgen import export_parts

        parts = super().export_parts()
        if self.conditional:
            parts["conditional_sample"] = export_parts.ConditionalSamplePart(
                self.averaged("generator"), self.num_classes,
                class_priors=self.class_priors(), label_input=False)
        return parts
