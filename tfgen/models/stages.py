"""Stages of a game, counted in examples, switched between steps.

A game declares ``stages = ((name, length hyper-parameter), ...)``; the
last stage's length may be ``None`` (open-ended). N, the examples consumed
so far, is a checkpointed variable (``examples_seen``), so a resumed run
continues in the right stage. A stage of length L > 0 is active while
N ≤ (the lengths up to and including it): CoopInit's Algorithm 2 keeps its
cooperative stage ``while N ≤ N_coop``. A stage of length 0 is skipped.

``train_step`` dispatches on ``model.stage`` in Python. The
:class:`StageSwitch` callback (attached by ``Game.fit``) moves to the next
stage between steps and retraces the step function once per switch, so a
run has one trace per stage and no ``tf.cond`` around optimizer updates
(which does not mix with ``MirroredStrategy``'s merge calls). Every switch
is printed and logged as the ``stage`` scalar (its index).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgen import distribute


def attach(model) -> None:
    """Creates the example counter and sets the stage for N = 0."""
    model.examples_seen = keras.Variable(
        0, dtype="int64", trainable=False, name="examples_seen",
        aggregation="only_first_replica")
    model.stage = stage_at(model, 0)


def names(model) -> list:
    return [name for name, _ in model.stages]


def stage_at(model, seen: int) -> str:
    """The stage active when ``seen`` examples have been consumed."""
    end = 0
    for name, length in model.stages:
        if length is None:
            return name
        size = int(getattr(model, length))
        if size <= 0:
            continue
        end += size
        if seen <= end:
            return name
    return model.stages[-1][0]


def count(model, examples) -> None:
    """Adds this step's global example count (``examples`` per replica)."""
    if examples is None:
        raise ValueError(f"{type(model).__name__} is staged: pass the step's examples "
                         "to finish_step")
    model.examples_seen.assign_add(
        tf.cast(examples, tf.int64) * distribute.num_replicas())


def logs(model) -> dict:
    """The ``stage`` index and ``examples_seen``, for the trackers."""
    return {"stage": float(names(model).index(model.stage)),
            "examples_seen": tf.cast(model.examples_seen, tf.float32)}


def advance(model) -> bool:
    """Moves to the stage N calls for; True when the stage changed."""
    new = stage_at(model, int(model.examples_seen.numpy()))
    if new == model.stage:
        return False
    model.stage = new
    return True


def with_switch(callbacks) -> list:
    callbacks = list(callbacks or [])
    if not any(isinstance(c, StageSwitch) for c in callbacks):
        callbacks.append(StageSwitch())
    return callbacks


class StageSwitch(keras.callbacks.Callback):
    """Switches a staged game between batches, retracing its step once."""

    def on_train_begin(self, logs=None):
        self._check()

    def on_train_batch_end(self, batch, logs=None):
        self._check()

    def _check(self):
        if advance(self.model):
            print(f"\n{type(self.model).__name__}: "
                  f"{int(self.model.examples_seen.numpy())} examples seen; "
                  f"stage {self.model.stage}")
            self.model.make_train_function(force=True)
