"""The contract between a method and the machinery: ``Game``.

A method is a ``keras.Model`` subclass of :class:`Game` whose ``train_step``
reads like its paper, and which declares, as class attributes, everything
the trainer, the checkpoints and the export need (see docs/DESIGN.md):

* ``networks``: the sub-network attributes, in constructor order (they are
  serialized, checkpointed and built by the method's builder);
* ``players``: player → the networks one optimizer updates (default: each
  network is its own player). A network shared by two players' entries
  (a shared trunk) is updated once per player; variables are deduplicated;
* ``ema_networks``: networks whose weights get an exponential moving average
  when ``ema_decay`` > 0, optionally warmed up (``tfgen.models.averages``);
* ``data_kind``: the ``tfgen.data`` kind of the batches it trains on;
* ``examples_per_step``: minibatches one step reads (WGAN's n_critic);
* ``stages``: ``((name, length hyper-parameter or None), ...)``, counted in
  examples (``tfgen.models.stages``);
* ``hparams``: hyper-parameter → default. These are the method's
  ``model.*`` config fields; the constructor takes them by keyword (and,
  after the networks, by position in declaration order), rejects unknown
  ones and stores each as an attribute; ``get_config`` returns them;
* :meth:`export_parts`: the named ``tfgen.export_parts`` its export holds.

The helpers here are the parts that are easy to get wrong under
``tf.distribute`` (``../shared/NOTES-keras3.md``): optimizers built inside
the strategy scope, loss scaling by replicas, per-replica random numbers
from the seed and the step counter, and ``keras.metrics.Mean`` trackers.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute
from tfgen.models import averages as averages_lib
from tfgen.models import batch as batch_lib
from tfgen.models import stages as stages_lib


def _coerce(name: str, value, default):
    """``value`` as the type of ``default`` (JSON and absl give lists, ints)."""
    if isinstance(default, bool):
        if not isinstance(value, (bool, int)) or value not in (0, 1):
            raise ValueError(f"hyper-parameter {name} must be true or false, got {value!r}")
        return bool(value)
    if isinstance(default, (int, float)) and not isinstance(value, (int, float)):
        raise ValueError(f"hyper-parameter {name} must be a number, got {value!r}")
    if isinstance(default, int):
        if int(value) != value:
            raise ValueError(f"hyper-parameter {name} must be an integer, got {value!r}")
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, tuple):
        return tuple(value)
    return value


@keras.saving.register_keras_serializable(package="tfgen")
class Game(keras.Model):
    """A game between networks, trained by ``train_step`` (see module docstring)."""

    networks: tuple = ()
    players: dict | None = None
    ema_networks: tuple = ()
    data_kind: str = "images"
    examples_per_step: int = 1
    stages: tuple = ()
    hparams: dict = {}
    loss_names: tuple = ()

    @classmethod
    def kind_for(cls, hparams: dict) -> str:
        """The data kind a game with ``hparams`` trains on (before it is built)."""
        return cls.data_kind

    @classmethod
    def all_hparams(cls) -> dict:
        """Declared hyper-parameters, plus ``ema_decay``, ``ema_warmup`` and
        ``ema_power`` where there is an EMA (``tfgen.models.averages``)."""
        out = dict(cls.hparams)
        if cls.ema_networks:
            out.setdefault("ema_decay", 0.0)
            out.setdefault("ema_warmup", False)
            out.setdefault("ema_power", 0.0)
        return out

    def __init__(self, *args, seed: int = 0, name=None, **kwargs):
        super().__init__(name=name)
        hp = self.all_hparams()
        order = list(self.networks) + list(hp)
        if len(args) > len(order):
            raise TypeError(f"{type(self).__name__} takes at most {len(order)} "
                            f"positional arguments ({', '.join(order)})")
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"{type(self).__name__} got {key} twice")
            kwargs[key] = value
        for net in self.networks:
            if net not in kwargs:
                raise TypeError(f"{type(self).__name__} needs the network {net!r}")
            setattr(self, net, kwargs.pop(net))
        unknown = sorted(set(kwargs) - set(hp))
        if unknown:
            raise ValueError(f"{type(self).__name__} has no hyper-parameter "
                             f"{unknown[0]!r}; its hyper-parameters: {', '.join(hp)}")
        for key, default in hp.items():
            setattr(self, key, _coerce(key, kwargs.get(key, default), default))
        self.seed = int(seed)
        self.data_kind = self.kind_for(self.hyperparameters())
        ema_decay = getattr(self, "ema_decay", 0.0) if self.ema_networks else 0.0
        if not 0.0 <= ema_decay < 1.0:
            raise ValueError(f"ema_decay must be in [0, 1), got {ema_decay}")
        ema_power = getattr(self, "ema_power", 0.0) if self.ema_networks else 0.0
        if ema_power < 0:
            raise ValueError(f"ema_power must be >= 0 (0: off), got {ema_power}")
        if ema_power > 0 and ema_decay == 0:
            raise ValueError("ema_power shapes an average that ema_decay=0 switches off; "
                             "set ema_decay > 0 (it caps the decay, e.g. 0.99999)")
        if ema_power > 0 and self.ema_warmup:
            raise ValueError("ema_power and ema_warmup are two warm-ups of the average; "
                             "set one (ema_warmup=False with ema_power > 0)")
        # Drives every random draw; checkpointed, so a resumed run continues
        # the same random stream.
        self.step_counter = keras.Variable(
            0, dtype="int64", trainable=False, name="step_counter",
            aggregation="only_first_replica")
        self._trackers = {n: keras.metrics.Mean(name=n) for n in self.loss_names}
        # One flat list over the EMA networks' weights, in declaration order,
        # held by a layer: a plain list of variables is not checkpointed.
        self._averages = None
        if ema_decay > 0:
            self._averages = averages_lib.Averages(
                [w for n in self.ema_networks for w in getattr(self, n).weights])
        if self.stages:
            stages_lib.attach(self)
        self._player_opts = {}
        # The wrapper has no single call graph for fit() to trace (NOTES #2).
        self.built = True

    @property
    def _ema(self) -> list:
        return self._averages.values if self._averages is not None else []

    # ----------------------------------------------------------- players --
    def player_networks(self) -> dict:
        """{player: (network names)}: declared, or one player per network."""
        return dict(self.players or {n: (n,) for n in self.networks})

    def player_variables(self, player: str) -> list:
        """Trainable variables updated by ``player``'s optimizer, each once."""
        seen, out = set(), []
        for net in self.player_networks()[player]:
            for v in getattr(self, net).trainable_variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    def compile(self, optimizers: dict, jit_compile=False, **kwargs):
        """Attaches one optimizer per player and builds each one now.

        Args:
          optimizers: {player: keras optimizer}, one for every player.
          jit_compile: XLA-compile the train step (measure before enabling).
        """
        players = self.player_networks()
        if set(optimizers) != set(players):
            raise ValueError(f"optimizers for {sorted(optimizers)}; the players of "
                             f"{type(self).__name__} are {sorted(players)}")
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

    def batch(self, data):
        """``data`` checked against ``data_kind``'s structure (``models.batch``)."""
        return batch_lib.unpack(self.data_kind, data, type(self).__name__)

    def draw_seed(self, stream: int) -> tf.Tensor:
        """Stateless seed for draw number ``stream`` of the current step."""
        return distribute.step_seed(self.seed, self.step_counter, stream)

    def finish_step(self, examples=None) -> None:
        """Call at the end of ``train_step``: EMA update, step counter + 1.

        Args:
          examples: for a staged game, the examples this replica's step
            counted (a scalar); the global count advances the stages.
        """
        if self._ema:
            weights = [w for n in self.ema_networks for w in getattr(self, n).weights]
            averages_lib.update(self._ema, weights, averages_lib.decay_at(
                self.ema_decay, self.step_counter, self.ema_warmup, self.ema_power))
        if self.stages:
            stages_lib.count(self, examples)
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

    def fit(self, *args, callbacks=None, **kwargs):
        """``keras.Model.fit``; a staged game gets its stage switch attached."""
        if self.stages:
            callbacks = stages_lib.with_switch(callbacks)
        return super().fit(*args, callbacks=callbacks, **kwargs)

    # ------------------------------------------------------------ export --
    def averaged(self, network: str) -> keras.Model:
        """``network`` with its EMA weights (itself without an EMA)."""
        net = getattr(self, network)
        if not self._ema or network not in self.ema_networks:
            return net
        start = sum(len(getattr(self, n).weights)
                    for n in self.ema_networks[:self.ema_networks.index(network)])
        clone = keras.models.clone_model(net)
        clone.set_weights([v.numpy() for v in self._ema[start:start + len(net.weights)]])
        return clone

    def export_parts(self) -> dict:
        """{name: ``tfgen.export_parts`` part} that an export of this game holds."""
        return {}

    # ----------------------------------------------------- serialization --
    def hyperparameters(self) -> dict:
        return {k: getattr(self, k) for k in self.all_hparams()}

    def get_config(self):
        config = {"name": self.name, "seed": self.seed, **self.hyperparameters()}
        for n in self.networks:
            config[n] = keras.saving.serialize_keras_object(getattr(self, n))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for n in cls.networks:
            config[n] = keras.saving.deserialize_keras_object(config[n])
        return cls(**config)
