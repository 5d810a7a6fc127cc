"""What a database file holds, read without opening a :class:`~.core.Store` on it (read-only, nothing
written): its identity keys in ``meta``, its desk and trusted keys, and whether it holds anything of a
school. Services decide what that means (another school's file, a file safe to encrypt); the SQL is here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import engine

if TYPE_CHECKING:
    from .file_shapes import FileKeys, PlainContents


def __getattr__(name: str):
    if name in ("FileKeys", "PlainContents"):  # (defined when first asked for: see .file_shapes)
        from . import file_shapes

        return getattr(file_shapes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def meta_values(path: Path, passphrase: str | None, keys: Sequence[str]) -> dict[str, str]:
    """The non-empty values of ``keys`` in the ``meta`` table of the file at ``path`` (none for a file
    without that table, or one too damaged to read). A file that can't be opened raises as
    :func:`engine.connect_readonly` does."""
    conn = engine.connect_readonly(path, passphrase=passphrase)
    try:  # (a file without the table: "no such table", read as none)
        marks = ", ".join("?" * len(keys))
        rows = conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", list(keys)).fetchall()
    except engine.DatabaseError:
        return {}
    finally:
        conn.close()
    return {k: v for k, v in rows if v}


def keys_of_file(path: Path, passphrase: str | None) -> FileKeys | None:
    """The desk and trusted keys in the file at ``path``; None when it is too damaged to read."""
    conn = engine.connect_readonly(path, passphrase=passphrase)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        own = conn.execute("SELECT fingerprint FROM desk_keys WHERE id = 1").fetchone() if "desk_keys" in tables else None
        trusted = (conn.execute("SELECT kind, party, fingerprint, trusted_at, how FROM trusted_keys "
                                "ORDER BY kind, party, trusted_at").fetchall() if "trusted_keys" in tables else [])
    except engine.DatabaseError:
        return None
    finally:
        conn.close()
    from .file_shapes import FileKeys

    return FileKeys(own[0] if own else None, [tuple(row) for row in trusted])


def plain_contents(path: Path, demo_key: str) -> PlainContents:
    """Read what the unencrypted file at ``path`` holds. Raises :class:`engine.StoreError` (or
    ``OSError``) when it can't be opened, ``engine.DatabaseError`` when it is not a readable database."""
    conn = engine.connect_readonly(path)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = frozenset(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        demo = "meta" in names and bool(
            conn.execute("SELECT value FROM meta WHERE key = ?", [demo_key]).fetchone())
        used = sum(conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                   for t in ("students", "audit") if t in names)
        from .file_shapes import PlainContents

        return PlainContents(app_id, version, names, demo, used)
    finally:
        conn.close()
