"""What changed in the file, and since when: for the main screen to read again only what a save touched.

``data_version`` notices another desk's commits; the audit trail's sequence number marks a moment on
this one, and the entries after it say which records changed (every change is audited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core import Store


class ChangesMixin:
    """The :class:`~advocate_tui.store.core.Store`'s reads of what changed."""

    def data_version(self: "Store") -> int:
        """SQLite's ``PRAGMA data_version``: changes when another connection (a second desk) commits.

        Cheap (no table is read): poll it to notice other desks' saves; this connection's own
        commits do not change it."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def audit_mark(self: "Store") -> int:
        """The newest audit entry's number (0 for none): a moment to ask :meth:`changed_since` about.

        Read from ``sqlite_sequence`` (the audit's AUTOINCREMENT keeps it), not from the audit trail's own
        pages: a damaged page of those, read before the file check has refused the file, would leave
        SQLCipher's connection in its error state and every later read failing."""
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
        return int(row[0]) if row else 0

    def changed_since(self: "Store", mark: int) -> list[tuple[str, str]]:
        """The (record type, record id) of every audit entry after ``mark``, oldest first."""
        return [(t, i) for t, i in self.db.execute(
            "SELECT record_type, record_id FROM audit WHERE seq > ? ORDER BY seq", [mark]).fetchall()]
