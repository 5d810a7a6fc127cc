"""advocate-tui: a keyboard-driven terminal app for a restorative-practices advocate's shift."""

__version__ = "0.1.0"
