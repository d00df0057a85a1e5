"""InfoGAN: a GAN whose generator input carries codes that Q recovers.

Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by
Information Maximizing Generative Adversarial Nets" (the GAN tutorial's
InfoGAN section). The generator reads x = G(z, c) with c a K-way
categorical code and k continuous codes; an auxiliary head Q(c | x),
sharing the discriminator's trunk, maximises the variational bound L_I
(``tfgen.losses.information``), and the game is (eq. 5)

    min_{G, Q} max_D  V(D, G) − λ L_I(G, Q).

Players, as the authors' released code does it: the discriminator player
updates the whole discriminator network — trunk, D head and Q head — on
its GAN loss + λ·(−E log Q); the generator player updates G on its GAN loss
+ λ·(−E log Q). Both minimise the *same* information term (the
pitfall of swapping it for the GAN term's sign does not arise: the penalty
is added, never subtracted, for both players; ``tests/test_infogan.py``
checks that one step raises E log Q).

Codes. The categorical code is one-hot; the continuous codes are
Uniform(−1, 1), drawn as c = erf(u / √2) from u ~ N(0, 1), so that the
whole latent [noise ‖ u] is standard normal and the ``conditional_sample``
export (labels = the categorical code, latents = [noise ‖ u]) draws
exactly the training distribution with every tfgen tool (sampling,
interpolation). A traversal of continuous code j at value c uses
u_j = √2 erfinv(c) (:func:`code_latent`).

The export also holds an ``encode`` part, ``codes``: images → Q's
categorical logits (argmax is the code an image is read as).

Sizes come from the networks: K and k from the discriminator's outputs
(``net.discriminator.categorical`` / ``continuous``), the noise width is
``net.latent_dim`` − K − k (74 − 10 − 2 = 62 as in the paper's MNIST run).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen import distribute
from tfgen.losses import ADVERSARIAL_LOSSES
from tfgen.losses.information import mutual_information_bound, mutual_information_penalty
from tfgen.models.latent import LatentGame

tfd = tfp.distributions
SQRT2 = float(np.sqrt(2.0))


def code_latent(value):
    """The latent u_j giving continuous code value c_j = erf(u_j / √2)."""
    from scipy.special import erfinv

    return SQRT2 * erfinv(np.clip(np.asarray(value, np.float64), -1 + 1e-7, 1 - 1e-7))


@keras.saving.register_keras_serializable(package="tfgen")
class CodeInput(keras.layers.Layer):
    """(latents [noise ‖ u], labels) → generator input [noise ‖ one_hot ‖ erf(u/√2)]."""

    def __init__(self, noise_dim: int, categorical: int, **kwargs):
        super().__init__(**kwargs)
        self.noise_dim, self.categorical = int(noise_dim), int(categorical)

    def codes(self, latents, labels):
        """(one-hot categorical code, continuous codes) of a latent batch."""
        one_hot = tf.one_hot(tf.cast(labels, tf.int32), self.categorical, dtype=latents.dtype)
        return one_hot, tf.math.erf(latents[:, self.noise_dim:] / SQRT2)

    def call(self, latents, labels):
        one_hot, cont = self.codes(latents, labels)
        return tf.concat([latents[:, :self.noise_dim], one_hot, cont], axis=-1)

    def get_config(self):
        return dict(super().get_config(), noise_dim=self.noise_dim,
                    categorical=self.categorical)


@keras.saving.register_keras_serializable(package="tfgen")
class InfoGAN(LatentGame):
    """Generator and discriminator with a Q head (see module docstring).

    Hyper-parameters: ``loss`` (a key of ``ADVERSARIAL_LOSSES``),
    ``info_weight`` (λ of the categorical code, 1 in the paper),
    ``continuous_weight`` (λ of the continuous codes; the paper uses a
    smaller one for continuous codes), ``learn_std`` (Q's Gaussians learn
    their standard deviations; False fixes them at 1, which the paper found
    sufficient).
    """

    networks = ("generator", "discriminator")
    players = {"discriminator": ("discriminator",), "generator": ("generator",)}
    hparams = dict(LatentGame.hparams, latent_dim=74, loss="non_saturating",
                   info_weight=1.0, continuous_weight=1.0, learn_std=False)
    loss_names = ("d_loss", "g_loss", "info_loss", "mi_categorical", "mi_continuous",
                  "d_real", "d_fake")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.loss not in ADVERSARIAL_LOSSES:
            raise ValueError(f"unknown adversarial loss {self.loss!r}; valid: "
                             f"{', '.join(ADVERSARIAL_LOSSES)}")
        if self.prior != "normal":
            raise ValueError(f"InfoGAN draws its noise from prior 'normal' (the "
                             f"continuous codes are mapped from it), not {self.prior!r}")
        outs = self.discriminator.outputs
        if len(outs) not in (2, 3):
            raise ValueError("InfoGAN's discriminator must output [score, categorical "
                             "logits(, continuous parameters)]; use infogan_discriminator")
        self.categorical = int(outs[1].shape[-1])
        self.continuous = int(outs[2].shape[-1]) // 2 if len(outs) == 3 else 0
        self.noise_dim = self.latent_dim - self.categorical - self.continuous
        if self.noise_dim < 1:
            raise ValueError(f"latent_dim={self.latent_dim} leaves no noise beside the "
                             f"{self.categorical}-way code and {self.continuous} continuous "
                             f"codes; set net.latent_dim above "
                             f"{self.categorical + self.continuous}")
        self._d_loss_fn, self._g_loss_fn = ADVERSARIAL_LOSSES[self.loss]
        self.code_input = CodeInput(self.noise_dim, self.categorical, name="code_input")
        # No weights; built now so that fit() finds every layer built (NOTES #2).
        self.code_input.built = True

    # ------------------------------------------------------------ codes --
    def latent_width(self) -> int:
        """Width of the exported latents [noise ‖ u]."""
        return self.noise_dim + self.continuous

    def draw_codes(self, num, pair):
        """(latents [num, noise + k] ~ N(0, I), labels [num] uniform) from ``pair``."""
        latents = tf.random.stateless_normal(
            tf.stack([num, self.latent_width()]),
            tf.random.experimental.stateless_fold_in(pair, 0), alg=distribute.RNG_ALG)
        labels = tf.random.stateless_uniform(
            tf.reshape(num, [1]), tf.random.experimental.stateless_fold_in(pair, 1),
            0, self.categorical, dtype=tf.int32, alg=distribute.RNG_ALG)
        return latents, labels

    def sample_codes(self, batch_size, stream: int):
        """This replica's (latents, labels), sliced from the global batch's draw."""
        latents, labels = self.draw_codes(batch_size * distribute.num_replicas(),
                                          self.draw_seed(stream))
        return distribute.local_slice(latents), distribute.local_slice(labels)

    def q_distributions(self, outputs):
        """Q(c_cat | x), Q(c_cont | x) as tfp distributions from D's outputs."""
        dists = [tfd.OneHotCategorical(logits=outputs[1], dtype=tf.float32)]
        if self.continuous:
            mean, log_std = tf.split(outputs[2], 2, axis=-1)
            std = tf.exp(log_std) if self.learn_std else tf.ones_like(mean)
            dists.append(tfd.Independent(tfd.Normal(mean, std), 1))
        return dists

    def code_distributions(self):
        """The codes' priors P(c): their entropies make L_I a bound on I."""
        k = self.categorical
        dists = [tfd.OneHotCategorical(logits=tf.zeros([k]), dtype=tf.float32)]
        if self.continuous:
            ones = tf.ones([self.continuous])
            dists.append(tfd.Independent(tfd.Uniform(-ones, ones), 1))
        return dists

    def information(self, codes, outputs):
        """(λ-weighted penalty, bound of the categorical code, of the continuous)."""
        q = self.q_distributions(outputs)
        priors = self.code_distributions()
        penalty = self.info_weight * mutual_information_penalty(codes[:1], q[:1])
        mi_cat = mutual_information_bound(codes[:1], q[:1], priors[:1])
        mi_cont = tf.constant(0.0)
        if self.continuous:
            penalty += self.continuous_weight * mutual_information_penalty(codes[1:], q[1:])
            mi_cont = mutual_information_bound(codes[1:], q[1:], priors[1:])
        return penalty, mi_cat, mi_cont

    def generate_from(self, latents, labels, training=False):
        """Images and the structured codes [one-hot, continuous] they carry."""
        one_hot, cont = self.code_input.codes(latents, labels)
        images = self.generator(self.code_input(latents, labels), training=training)
        return images, [one_hot, cont] if self.continuous else [one_hot]

    # ------------------------------------------------------------- step --
    def train_step(self, data):
        real = self.batch(data)
        batch = tf.shape(real)[0]
        # 1. Train D and Q (one network, one shared trunk): GAN loss on real
        #    and generated images, plus λ times Q's code log-loss on the latter.
        latents, labels = self.sample_codes(batch, stream=0)
        fake, codes = self.generate_from(latents, labels, training=True)
        with tf.GradientTape() as tape:
            real_score = self.discriminator(real, training=True)[0]
            fake_out = self.discriminator(fake, training=True)
            d_loss = self._d_loss_fn(real_score, fake_out[0])
            info, _, _ = self.information(codes, fake_out)
            scaled = self.scale(d_loss + info, "discriminator")
        self.update("discriminator", tape, scaled)
        # 2. Train G on fresh codes: its GAN loss plus the same λ-weighted
        #    information term (G makes its codes recoverable by Q).
        latents, labels = self.sample_codes(batch, stream=1)
        with tf.GradientTape() as tape:
            fake, codes = self.generate_from(latents, labels, training=True)
            out = self.discriminator(fake, training=True)
            g_loss = self._g_loss_fn(out[0])
            info, mi_cat, mi_cont = self.information(codes, out)
            scaled = self.scale(g_loss + info, "generator")
        self.update("generator", tape, scaled)
        self.finish_step()
        return self.track(d_loss=d_loss, g_loss=g_loss, info_loss=info,
                          mi_categorical=mi_cat, mi_continuous=mi_cont,
                          d_real=tf.reduce_mean(real_score),
                          d_fake=tf.reduce_mean(fake_out[0]))

    # ------------------------------------------------------ use, export --
    def call(self, latents, training=False):
        return self.generator(latents, training=training)

    def code_generator(self) -> keras.Model:
        """(latents [noise ‖ u], int32 labels) → images, on the averaged G."""
        latents = keras.Input((self.latent_width(),), name="latents")
        labels = keras.Input((), dtype="int32", name="labels")
        z = CodeInput(self.noise_dim, self.categorical)(latents, labels)
        images = self.averaged("generator")(z, training=False)
        return keras.Model([latents, labels], images, name="infogan_generator")

    def generate(self, num: int, seed: int = 0) -> tf.Tensor:
        """``num`` samples (eager), codes and latents from the seed [seed, 0]."""
        latents, labels = self.draw_codes(tf.constant(num), tf.constant([seed, 0]))
        return self.code_generator()([latents, labels], training=False)

    def predict_codes(self, images, batch_size: int = 500) -> np.ndarray:
        """argmax Q(c_cat | x) for images (the discriminator in inference mode)."""
        out = [np.argmax(self.discriminator(images[i:i + batch_size], training=False)[1],
                         axis=-1) for i in range(0, len(images), batch_size)]
        return np.concatenate(out)

    def export_parts(self) -> dict:
        from tfgen import export_parts, priors

        part = export_parts.ConditionalSamplePart(
            self.code_generator(), self.categorical,
            prior=priors.Prior("normal", self.latent_width()), label_input=True)
        d = self.discriminator
        q = keras.Model(d.inputs, d.outputs[1], name="q_categorical")
        # Q(c | x)'s categorical logits: the learned codes of any image.
        return {"conditional_sample": part, "codes": export_parts.EncodePart(q)}
