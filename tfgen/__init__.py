"""tfgen: generative models trained as games between two networks (TF2/Keras 3)."""

__version__ = "0.1.0"
