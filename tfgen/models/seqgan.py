"""SeqGAN: a sequence generator trained as a policy against a discriminator.

Yu, Zhang, Wang, Yu 2017, "SeqGAN: Sequence Generative Adversarial Nets
with Policy Gradient" (AAAI), Algorithm 1; the GAN tutorial in
``../shared/papers/`` (its SeqGAN section) is the spec.

Three stages (``tfgen.models.stages``, counted in examples, resumable):

1. ``mle``: the LSTM generator G_θ learns by maximum likelihood on the real
   sequences (teacher forcing), ``mle_examples`` of them;
2. ``discriminator``: D_φ learns to tell real sequences from G's samples
   (eq. 5), ``d_pretrain_examples`` real ones;
3. ``adversarial`` (open-ended), one round per step: G samples a batch
   Y_{1:T}; the reward of each token is Q(Y_{1:t-1}, y_t), the mean of D's
   probability of "real" over N rollouts of the roll-out policy G_β from
   the prefix Y_{1:t} (eq. 4; D(Y_{1:T}) itself at t = T); REINFORCE updates
   G (eq. 6); G_β follows G with delay, β ← r·β + (1 − r)·θ (the authors'
   update rate r = 0.8); D takes ``d_steps`` updates on fresh samples.

``reward="constant"`` replaces D's rewards by 1 (a control: its policy
gradient is the maximum-likelihood gradient on G's own samples, see
``tfgen.losses.policy_gradient``). The roll-out policy's weights are
variables of the model (checkpointed); G_β is G's step network run on
them (``keras.Model.stateless_call``). Random draws come from the step
seed and are sliced per replica (``tfgen.samplers.rollout``), so two
replicas train exactly as one device.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen.losses import policy_gradient as pg
from tfgen.models import stages
from tfgen.models.base import Game
from tfgen.samplers import rollout

MLE, DISCRIMINATOR, ADVERSARIAL = "mle", "discriminator", "adversarial"
REWARDS = ("discriminator", "constant")


class WithWeights:
    """A step network run on other weights: the delayed roll-out policy G_β."""

    def __init__(self, net, weights):
        self.net, self.weights = net, weights
        self.input_shape, self.output_shape = net.input_shape, net.output_shape

    def __call__(self, inputs, training=False):
        values = [tf.convert_to_tensor(w) for w in self.weights]
        # Non-trainable state (the LSTM cell's seed generator) stays the net's own.
        fixed = [tf.convert_to_tensor(v) for v in self.net.non_trainable_variables]
        out, _ = self.net.stateless_call(values, fixed, inputs, training=training)
        return out


class DelayedCopy(keras.layers.Layer):
    """Non-trainable copies of a network's trainable weights (checkpointed).

    Only the first replica's assignment counts: the weights being copied
    are the same on every replica.
    """

    def __init__(self, network, **kwargs):
        super().__init__(trainable=False, **kwargs)
        self.copies = []
        for i, w in enumerate(network.trainable_weights):
            copy = self.add_weight(shape=w.shape, dtype=w.dtype, initializer="zeros",
                                   trainable=False, name=f"copy_{i}",
                                   aggregation="only_first_replica")
            copy.assign(w)
            # An attribute each: what TensorFlow's checkpoints track.
            setattr(self, f"copy_{i}", copy)
            self.copies.append(copy)
        self.built = True


@keras.saving.register_keras_serializable(package="tfgen")
class SeqGANModel(Game):
    """SeqGAN's generator (LSTM policy) and CNN discriminator on token data."""

    networks = ("generator", "discriminator")
    data_kind = "tokens"
    hparams = {"mle_examples": 320_000, "d_pretrain_examples": 64_000,
               "num_rollouts": 16, "rollout_update_rate": 0.8, "d_steps": 1,
               "reward": "discriminator"}
    stages = ((MLE, "mle_examples"), (DISCRIMINATOR, "d_pretrain_examples"),
              (ADVERSARIAL, None))
    loss_names = ("nll", "d_loss", "pg_loss", "reward", "stage", "examples_seen")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.num_rollouts < 1:
            raise ValueError(f"num_rollouts must be >= 1, got {self.num_rollouts}")
        if not 0.0 <= self.rollout_update_rate <= 1.0:
            raise ValueError("rollout_update_rate must lie in [0, 1], got "
                             f"{self.rollout_update_rate}")
        if self.d_steps < 0:
            raise ValueError(f"d_steps must be >= 0, got {self.d_steps}")
        if self.reward not in REWARDS:
            raise ValueError(f"reward must be one of {', '.join(REWARDS)}, got "
                             f"{self.reward!r}")
        if self.generator.non_trainable_weights:
            raise ValueError("the generator's step network must have no "
                             "non-trainable weights (the roll-out policy copies it)")
        self.length = int(self.discriminator.input_shape[1])
        # G_β starts as G; a layer, so that checkpoints hold it.
        self.rollout = DelayedCopy(self.generator, name="rollout")

    @property
    def rollout_weights(self) -> list:
        return self.rollout.copies

    def rollout_policy(self) -> WithWeights:
        return WithWeights(self.generator, self.rollout_weights)

    def call(self, tokens, training=False):
        return self.discriminator(tokens, training=training)

    # ------------------------------------------------------------- steps --
    def sample(self, num, stream: int) -> tf.Tensor:
        """G's sequences for ``num`` local rows (the global batch's draw, sliced)."""
        return rollout.generate(self.generator, num, self.length, self.draw_seed(stream))

    def mle_step(self, real):
        with tf.GradientTape() as tape:
            loss = pg.mle_loss(rollout.log_probs(self.generator, real, training=True))
            scaled = self.scale(loss, "generator")
        self.update("generator", tape, scaled)
        return loss

    def discriminator_step(self, real, stream: int):
        fake = self.sample(tf.shape(real)[0], stream)
        with tf.GradientTape() as tape:
            loss = pg.discriminator_loss(self.discriminator(real, training=True),
                                         self.discriminator(fake, training=True))
            scaled = self.scale(loss, "discriminator")
        self.update("discriminator", tape, scaled)
        return loss

    def rewards(self, sequences, stream: int) -> tf.Tensor:
        """Q of every token of ``sequences`` [B, T] (eq. 4), float32 [B, T]."""
        if self.reward == "constant":
            return tf.ones(tf.shape(sequences), tf.float32)
        batch, n, t = tf.shape(sequences)[0], self.num_rollouts, self.length
        rolls = rollout.rollouts(self.rollout_policy(), sequences, n,
                                 self.draw_seed(stream))
        d_roll = tf.sigmoid(self.discriminator(tf.reshape(rolls, [-1, t]),
                                               training=False))
        d_final = tf.sigmoid(self.discriminator(sequences, training=False))
        return pg.rollout_rewards(tf.reshape(d_final, [-1]),
                                  tf.reshape(d_roll, tf.stack([batch, n, t - 1])))

    def generator_step(self, batch):
        sequences = self.sample(batch, stream=10)
        q = self.rewards(sequences, stream=11)
        with tf.GradientTape() as tape:
            logp = rollout.log_probs(self.generator, sequences, training=True)
            loss = pg.policy_gradient_loss(logp, q)
            scaled = self.scale(loss, "generator")
        self.update("generator", tape, scaled)
        return loss, tf.reduce_mean(q)

    def follow_generator(self):
        """G_β ← r·G_β + (1 − r)·G (the delayed roll-out policy)."""
        r = self.rollout_update_rate
        for slow, w in zip(self.rollout_weights, self.generator.trainable_weights):
            slow.assign(r * slow + (1.0 - r) * w)

    def train_step(self, data):
        real = tf.cast(self.batch(data), tf.int32)
        batch = tf.shape(real)[0]
        if self.stage == MLE:
            logs = {"nll": self.mle_step(real)}
        elif self.stage == DISCRIMINATOR:
            logs = {"d_loss": self.discriminator_step(real, stream=1)}
        else:
            # 1. The generator, by policy gradient with rollout rewards.
            pg_loss, reward = self.generator_step(batch)
            # 2. The roll-out policy follows it with delay.
            self.follow_generator()
            # 3. The discriminator, on fresh samples.
            logs = {"pg_loss": pg_loss, "reward": reward}
            for i in range(self.d_steps):
                logs["d_loss"] = self.discriminator_step(real, stream=20 + i)
        self.finish_step(examples=batch)
        return self.track(**logs, **stages.logs(self))

    # ------------------------------------------------------------ export --
    def generate(self, num: int, seed: int = 0) -> tf.Tensor:
        """``num`` sequences of G (eager), drawn from the stateless seed [seed, 0]."""
        return rollout.compiled_generate(self.generator, tf.constant(int(num)),
                                         self.length, tf.constant([seed, 0], tf.int32))

    def export_parts(self) -> dict:
        from tfgen.export_parts.tokens import GenerateTokensPart

        # A text corpus's vocabulary, where the builder attached one.
        part = GenerateTokensPart(self.generator, self.length,
                                  getattr(self, "vocabulary", None),
                                  getattr(self, "separator", " "))
        return {"generate_tokens": part}
