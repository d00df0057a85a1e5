"""Network builders returning functional keras.Models (no training logic)."""
