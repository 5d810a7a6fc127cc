"""The ``advocate`` command line: the app, demo, roster, handoff, report, serve and data commands.

Every error is one clear line on stderr and a non-zero exit, never a traceback.
"""

from .main import main

__all__ = ["main"]
