"""Reusable Keras layers (no training logic)."""

from tfgen.layers.gradient_reversal import GradientReversal, reverse_gradient  # noqa: F401
from tfgen.layers.history_buffer import HistoryBuffer, history_query  # noqa: F401
from tfgen.layers.spectral_norm import SpectralNorm  # noqa: F401
from tfgen.layers.minibatch_std import MinibatchStd  # noqa: F401
