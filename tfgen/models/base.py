"""What every two-player method needs, written once.

``GenerativeModel`` is a ``keras.Model`` whose subclasses override
``train_step`` and call the helpers here for the parts that are easy to get
wrong under ``tf.distribute`` (see ``../shared/NOTES-keras3.md``):

* one optimizer per player, built inside the strategy scope in ``compile``;
* loss scaling by the number of replicas (and by a mixed-precision loss scale);
* per-replica random numbers from the experiment seed and the step counter;
* ``keras.metrics.Mean`` trackers reported by ``fit``;
* an optional exponential moving average (EMA) of the generator's weights,
  used for sampling and export (Karras et al. 2018; Yazıcı et al. 2019);
* ``get_config`` / ``from_config`` so that ``.keras`` files round-trip.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute, priors


# The element structure of each data kind's tf.data batches.
DATA_KINDS = {"images": "images [B, ...]", "labelled": "(images [B, ...], labels int64 [B])"}


@keras.saving.register_keras_serializable(package="tfgen")
class GenerativeModel(keras.Model):
    """Base class: a generator plus other players, trained by ``train_step``.

    Subclasses set ``network_names`` (sub-networks serialized in the config),
    ``loss_names`` (trackers) and implement ``train_step``. What the trainer
    needs to feed a model is declared here, not probed: ``data_kind`` (one of
    :data:`DATA_KINDS`: ``"images"`` batches, or ``"labelled"`` (images,
    labels) batches) and ``examples_per_step`` (minibatches one step reads).
    """

    network_names: tuple = ("generator",)
    loss_names: tuple = ()
    data_kind: str = "images"
    examples_per_step: int = 1

    def __init__(self, generator: keras.Model | None, latent_dim: int,
                 prior: str = "normal", seed: int = 0, ema_decay: float = 0.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.latent_dim = int(latent_dim)
        self.prior = priors.check_prior(prior)
        self.seed = int(seed)
        self.ema_decay = float(ema_decay)
        if not 0.0 <= self.ema_decay < 1.0:
            raise ValueError(f"ema_decay must be in [0, 1), got {ema_decay}")
        # Drives every random draw; checkpointed, so a resumed run continues
        # the same random stream.
        self.step_counter = keras.Variable(
            0, dtype="int64", trainable=False, name="step_counter",
            aggregation="only_first_replica")
        self._trackers = {n: keras.metrics.Mean(name=n) for n in self.loss_names}
        self._ema = []
        if self.ema_decay > 0 and generator is not None:
            self._ema = [keras.Variable(w, trainable=False, name="ema",
                                        aggregation="only_first_replica")
                         for w in generator.weights]
        self._player_opts = {}
        # The wrapper has no single call graph for fit() to trace (NOTES #2).
        self.built = True

    # ----------------------------------------------------------- compile --
    def compile(self, optimizers: dict, jit_compile=False, **kwargs):
        """Attaches one optimizer per player and builds each one now.

        Args:
          optimizers: {player network name: keras optimizer}.
          jit_compile: XLA-compile the train step (measure before enabling).
        """
        unknown = set(optimizers) - set(self.network_names)
        if unknown:
            raise ValueError(f"optimizers for unknown players {sorted(unknown)}; "
                             f"players are {list(self.network_names)}")
        # optimizer=None: no unused default optimizer (NOTES #4).
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        self._player_opts = dict(optimizers)
        for name, opt in self._player_opts.items():
            # Built now, inside the strategy scope (NOTES #3).
            opt.build(self.player_variables(name))

    def optimizer_for(self, player: str):
        return self._player_opts[player]

    @property
    def player_optimizers(self) -> dict:
        return dict(self._player_opts)

    def player_variables(self, player: str) -> list:
        """Trainable variables updated by ``player``'s optimizer."""
        return getattr(self, player).trainable_variables

    # ------------------------------------------------------ step helpers --
    def scale(self, loss: tf.Tensor, player: str) -> tf.Tensor:
        """Loss to differentiate: divided by replicas, times any loss scale."""
        scaled = distribute.scale_loss(tf.cast(loss, tf.float32))
        opt = self._player_opts[player]
        if isinstance(opt, keras.optimizers.LossScaleOptimizer):
            scaled = opt.scale_loss(scaled)
        return scaled

    def update(self, player: str, tape: tf.GradientTape, scaled_loss,
               variables=None) -> None:
        """Applies the gradient of ``scaled_loss`` to ``player``'s weights."""
        variables = self.player_variables(player) if variables is None else variables
        grads = tape.gradient(scaled_loss, variables)
        self._player_opts[player].apply_gradients(zip(grads, variables))

    def draw_seed(self, stream: int) -> tf.Tensor:
        """Stateless seed for draw number ``stream`` of the current step."""
        return distribute.step_seed(self.seed, self.step_counter, stream)

    def sample_latents(self, batch_size, stream: int) -> tf.Tensor:
        """This replica's latents for ``batch_size`` local examples."""
        global_batch = batch_size * distribute.num_replicas()
        z = priors.sample(self.prior, [global_batch, self.latent_dim],
                          self.draw_seed(stream))
        return distribute.local_slice(z)

    def finish_step(self) -> None:
        """Call at the end of ``train_step``: EMA update, step counter + 1."""
        if self._ema:
            d = self.ema_decay
            for avg, w in zip(self._ema, self.generator.weights):
                avg.assign(d * avg + (1.0 - d) * tf.cast(w, avg.dtype))
        self.step_counter.assign_add(1)

    def track(self, **values) -> dict:
        """Updates the trackers and returns {name: running mean} for fit."""
        for name, value in values.items():
            self._trackers[name].update_state(value)
        logs = {name: t.result() for name, t in self._trackers.items()}
        if distribute.is_multi_worker(self.distribute_strategy):
            # Keras reduces multi-worker logs with reduce(MEAN, axis=0), which
            # needs a batch axis: give each scalar one (keras-team/keras#20585).
            logs = {k: tf.reshape(v, [1]) for k, v in logs.items()}
        return logs

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Every network and optimizer is built before fit (NOTES #2, #3), so
        # Keras's symbolic build has nothing to add; under
        # MultiWorkerMirroredStrategy its reduction of a data batch fails
        # (keras-team/keras#20585), so it is skipped there.
        if distribute.is_multi_worker(self.distribute_strategy):
            return None
        return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    @property
    def metrics(self):
        return list(self._trackers.values())

    # ---------------------------------------------------------- sampling --
    def sampling_generator(self) -> keras.Model:
        """The generator used for samples and export (EMA weights if enabled)."""
        if not self._ema or self.generator is None:
            return self.generator
        clone = keras.models.clone_model(self.generator)
        clone.set_weights([v.numpy() for v in self._ema])
        return clone

    def call(self, latents, training=False):
        return self.generator(latents, training=training)

    def generate(self, num: int, seed: int = 0) -> tf.Tensor:
        """Draws ``num`` samples with the sampling generator (eager)."""
        z = priors.sample(self.prior, [num, self.latent_dim],
                          tf.constant([seed, 0], tf.int32))
        return self.sampling_generator()(z, training=False)

    # ----------------------------------------------------- serialization --
    def hyperparameters(self) -> dict:
        """Constructor arguments other than networks (extend in subclasses)."""
        return dict(latent_dim=self.latent_dim, prior=self.prior,
                    seed=self.seed, ema_decay=self.ema_decay)

    def get_config(self):
        config = {"name": self.name, **self.hyperparameters()}
        for n in self.network_names:
            config[n] = keras.saving.serialize_keras_object(getattr(self, n))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for n in cls.network_names:
            config[n] = keras.saving.deserialize_keras_object(config[n])
        return cls(**config)
