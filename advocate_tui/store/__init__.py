"""The store: advocate-tui's one SQLite file, reached through sqlite-utils over sqlcipher3."""

from .core import Store
from .engine import StoreError, sqlite_version
from .schema import LATEST_VERSION

__all__ = ["Store", "StoreError", "sqlite_version", "LATEST_VERSION"]
