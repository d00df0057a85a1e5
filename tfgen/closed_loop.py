"""Helpers for tools that inspect a trained CTRL / CoA-CTRL run."""

from __future__ import annotations

import tensorflow as tf

from tfgen import data, trainer


def restore_with_images(workdir: str, split: str, limit: int):
    """The run's model and config, and up to ``limit`` images as it trained on them."""
    model, config = trainer.restore(workdir)
    if not hasattr(model, "encode"):
        raise ValueError(f"{workdir} holds a {config.method} model; this tool needs "
                         "ctrl or coa_ctrl")
    x = data.load_arrays(config.data.name, split, config.data.data_dir or None)[0][:limit]
    if config.data.image_size:
        x = tf.image.resize(x, [config.data.image_size] * 2).numpy()
    return model, config, x
