"""Reusable Keras layers (no training logic)."""

from tfgen.layers.gradient_reversal import GradientReversal, reverse_gradient  # noqa: F401
