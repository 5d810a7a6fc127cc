"""The store's connection as a sqlite-utils ``Database``, made on first need.

Importing sqlite-utils (with click and pluggy) and making its ``Database`` (which looks for plugins
among every installed package's entry points) cost a start ~0.1 s before the first screen, where the
store only reads. :class:`LazyDatabase` answers the plain reads the start makes (``SELECT`` and
``PRAGMA`` through :meth:`~LazyDatabase.execute` and :meth:`~LazyDatabase.query`, ``table_names``) on the
raw connection, exactly as sqlite-utils would, and hands everything else (writes, ``atomic``, tables,
migrations) to the real ``Database``, made the first time one is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

#: statements answered on the raw connection: they never open a transaction (Python's sqlite3 opens
#: one only before INSERT, UPDATE, DELETE and REPLACE), so sqlite-utils' ``execute`` runs them as is
_READS = ("SELECT", "PRAGMA")


def _keyword(sql: str) -> str:
    return sql.lstrip()[:6].upper()


class LazyDatabase:
    """A sqlite-utils ``Database`` over ``conn`` that imports and makes one only when something more than
    a plain read asks for it (:attr:`full`); attributes it does not answer itself are the real one's."""

    def __init__(self, conn):
        self.conn = conn
        self._full: Database | None = None
        conn.execute("PRAGMA recursive_triggers=on;")  # as sqlite-utils' Database sets it, from the start

    @property
    def full(self) -> "Database":
        """The sqlite-utils ``Database`` on this connection (imported and made now if not yet)."""
        if self._full is None:
            from sqlite_utils import Database

            self._full = Database(self.conn)
        return self._full

    @property
    def made(self) -> bool:
        """Whether the real ``Database`` has been made (sqlite-utils imported for it)."""
        return self._full is not None

    def execute(self, sql: str, parameters: Any = None):
        """sqlite-utils' ``execute``; a ``SELECT`` or ``PRAGMA`` runs on the connection as it would there."""
        if self._full is not None or _keyword(sql) not in _READS:
            return self.full.execute(sql, parameters)
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Any = None):
        """sqlite-utils' ``query``: each row a dict; a ``SELECT`` whose columns have distinct names runs
        on the connection (sqlite-utils renames repeated ones, and guards statements that are not reads)."""
        if self._full is not None or _keyword(sql) != "SELECT":
            return self.full.query(sql, params)
        cursor = self.conn.execute(sql) if params is None else self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        if len(set(keys)) != len(keys):
            cursor.close()
            return self.full.query(sql, params)
        return (dict(zip(keys, row)) for row in cursor)

    def table_names(self, fts4: bool = False, fts5: bool = False) -> list[str]:
        """The database's tables (sqlite-utils' ``table_names``)."""
        if self._full is not None or fts4 or fts5:
            return self.full.table_names(fts4=fts4, fts5=fts5)
        return [r[0] for r in self.conn.execute("select name from sqlite_master where type = 'table'").fetchall()]

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, table: str):
        return self.full[table]

    def __getattr__(self, name: str):
        if name == "_full" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full, name)
