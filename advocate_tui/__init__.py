"""advocate-tui: a keyboard-driven terminal app for a restorative-practices advocate's shift."""

from . import dateutil_later  # noqa: F401  (before pendulum is imported: see its docstring)

__version__ = "0.1.0"
