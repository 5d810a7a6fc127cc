"""Read-only streams of whole tables, for the JSON export: one consistent snapshot, one row at a time.

Records come back as models (voided ones included), in school-day order, without holding a decade of
them in memory at once; :func:`snapshot` keeps every read of an export in one read transaction, so a
second desk saving meanwhile can't make the records and their audit trail disagree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from .rows import from_row, table_of

if TYPE_CHECKING:
    from ..models.audit import AuditEntry
    from ..models.base import Record
    from .core import Store

R = TypeVar("R", bound="Record")

#: audit entries are read this many at a time
AUDIT_PAGE = 2000


@contextlib.contextmanager
def snapshot(store: "Store") -> Iterator[None]:
    """Every read inside sees the database as it was at the first one (a deferred read transaction)."""
    conn = store.db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            conn.execute("ROLLBACK")  # nothing was written: ending the read is all it does


def day_clause(start: date | None, end: date | None) -> tuple[str, list[str]]:
    """A ``WHERE`` condition (or '') limiting the ``day`` column to an inclusive range, with its parameters."""
    clauses, params = [], []
    if start is not None:
        clauses.append("day >= ?")
        params.append(start.isoformat())
    if end is not None:
        clauses.append("day <= ?")
        params.append(end.isoformat())
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def records(store: "Store", cls: type[R], start: date | None = None, end: date | None = None) -> Iterator[R]:
    """Every record of ``cls`` whose school day is in the range (voided ones too), by day, then id."""
    where, params = day_clause(start, end)
    rows = store.db.query(f"SELECT * FROM {table_of(cls)}{where} ORDER BY day, id", params)
    for row in rows:
        yield from_row(cls, row)  # type: ignore[misc]


def audit_entries(store: "Store") -> Iterator[AuditEntry]:
    """The whole audit trail, oldest first, a page at a time."""
    since = 0
    while page := store.audit_trail(since_seq=since, limit=AUDIT_PAGE):
        yield from page
        since = page[-1].seq or since
        if len(page) < AUDIT_PAGE:
            return
