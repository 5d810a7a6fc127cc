"""pydantic without its plugins: no package installed beside the app sees a record as it is validated.

pydantic looks for plugins (the ``pydantic`` entry point group of every installed package) the first
time it builds a validator: it imports :mod:`importlib.metadata` and reads every installed package's
metadata (~15 ms of each start's main thread, measured in bench/ notes: bench-i16-pyd). A plugin is
called with every value validated, that is with students' records; the app uses none, so none is
loaded: :func:`install` gives pydantic a plugin loader that finds none, before any model is built.
Importing this module installs it. No Textual here.
"""

from __future__ import annotations

import sys
import types

#: the module pydantic imports the loader from, when it builds its first validator
LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    """No pydantic plugin, whatever is installed."""
    return ()


def install() -> None:
    """pydantic's plugin loader replaced by one that finds none (left alone once pydantic has loaded its own:
    then it has already looked, and the app's models are built by then)."""
    if LOADER not in sys.modules:
        loader = types.ModuleType(LOADER, "advocate-tui: pydantic plugins are not loaded (advocate_tui.pydantic_plugins)")
        loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
        sys.modules[LOADER] = loader


install()
