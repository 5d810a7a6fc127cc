"""A student's history in two steps: the heads of all their records (kind, id, role, moment) in one
light read, then the records themselves for the rows on screen.

A decade's busiest student has ~1,600 records; building every one as a model (with its time
formatted) took ~0.3 s of a student page that shows 100 rows first (bench/). The heads are read
from covering indexes (``m012_covering_indexes``): no record row is decrypted for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from ..models import Record
from ..models.records import RECORD_TYPES
from .rows import from_row, table_of

if TYPE_CHECKING:
    from .core import Store

__all__ = ["Head", "student_heads", "records_of", "moment"]

#: ids asked for in one query (SQLite's parameter limit is far above; the query stays short)
_BATCH = 500


@dataclass(frozen=True)
class Head:
    """One record of a student's history, before it is read: its kind, id, the student's role in it
    (incidents) and its moment (seconds, for the order)."""

    kind: str
    id: str
    role: str | None
    at: float


def moment(when: datetime | date | str | None) -> float:
    """Seconds of a record's time, for newest-first order: a date-only record sorts after every moment
    of that (UTC) date. Stored text is read as is (ISO with its offset): no pendulum (~0.1 ms a record
    on a decade-long history, bench/)."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when) if "T" in when or " " in when else date.fromisoformat(when)
    if isinstance(when, datetime):
        return when.timestamp()
    if isinstance(when, date):
        return datetime(when.year, when.month, when.day, tzinfo=timezone.utc).timestamp() + 86_399.5
    return 0.0


def student_heads(store: "Store", student_id: str) -> list[Head]:
    """The heads of everything on file for a student (voided records left out), newest first."""
    by_kind: dict[str, dict[str, str | None]] = {}
    for kind, record_id, role in store.db.execute(
            "SELECT record_type, record_id, role FROM record_students WHERE student_id = ?", [student_id]):
        by_kind.setdefault(kind, {})[record_id] = role
    heads: list[Head] = []
    for kind, roles in by_kind.items():
        cls = RECORD_TYPES[kind]
        ids = list(roles)
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start:start + _BATCH]
            rows = store.db.execute(
                f"SELECT id, {cls.time_field} FROM {table_of(cls)} WHERE voided = 0 AND id IN "
                f"({','.join('?' * len(chunk))})", chunk)
            heads.extend(Head(kind, record_id, roles[record_id], moment(when)) for record_id, when in rows)
    heads.sort(key=lambda head: head.at, reverse=True)
    return heads


def records_of(store: "Store", heads: list[Head]) -> list[tuple[Record, str | None]]:
    """The records of ``heads``, in their order, each with the student's role (one query per kind; a
    record voided since its head was read is still given: the page shows what it counted)."""
    found: dict[str, Record] = {}
    by_kind: dict[str, list[str]] = {}
    for head in heads:
        by_kind.setdefault(head.kind, []).append(head.id)
    for kind, ids in by_kind.items():
        cls = RECORD_TYPES[kind]
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start:start + _BATCH]
            for row in store.db.query(f"SELECT * FROM {table_of(cls)} WHERE id IN ({','.join('?' * len(chunk))})",
                                      chunk):
                found[row["id"]] = from_row(cls, row)
    return [(found[head.id], head.role) for head in heads if head.id in found]
