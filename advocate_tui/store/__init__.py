"""The store: advocate-tui's one SQLite file, reached through sqlite-utils over sqlcipher3.

:class:`Store` (and with it the models and pydantic) is imported on first use, so that
``store.engine`` alone is light: a start begins deriving the file's key (:func:`engine.derive_ahead`)
right after its arguments are parsed, before pydantic, the profile and Textual are imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .engine import BusyError, StoreError, sqlite_version

if TYPE_CHECKING:
    from .core import Store
    from .schema import LATEST_VERSION

__all__ = ["BusyError", "Store", "StoreError", "sqlite_version", "LATEST_VERSION"]


def __getattr__(name: str):
    if name == "Store":
        from .core import Store

        return Store
    if name == "LATEST_VERSION":
        from .schema import LATEST_VERSION

        return LATEST_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
