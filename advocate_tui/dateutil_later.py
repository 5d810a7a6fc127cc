"""dateutil's date parser, loaded when first used (never, by this app): pendulum imports it at its own
import, for the one thing the app never asks of it.

pendulum reads dates in ISO 8601 with its own parser; only a non-strict ``pendulum.parse(text,
strict=False)`` of a free-form date falls back on ``dateutil.parser``, which the app never calls. That
module (with ``dateutil.tz``, ``decimal`` and ``ctypes`` it imports) was ~90M instructions, ~25 ms, of
every start's main thread (bench notes: bench-i16-pyd). :func:`install` registers it with the standard
library's :class:`importlib.util.LazyLoader`: pendulum gets the module at once, and its code runs at
the first use of one of its names. Importing this module installs it. No Textual here.
"""

from __future__ import annotations

import importlib.util
import sys

#: the module made lazy
PARSER = "dateutil.parser"


def install() -> None:
    """``dateutil.parser`` registered to load at its first use (left alone once it is imported)."""
    if PARSER in sys.modules:
        return
    spec = importlib.util.find_spec(PARSER)
    if spec is None or spec.loader is None:  # (no dateutil: pendulum says so at its import)
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[PARSER] = module
    spec.loader.exec_module(module)
    # as an import of it would: ``from dateutil import parser`` then takes it as it is (asking the import
    # system for it again would read its __spec__, which loads it)
    package, _, name = PARSER.rpartition(".")
    setattr(sys.modules[package], name, module)


install()
