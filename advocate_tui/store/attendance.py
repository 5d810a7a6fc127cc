"""The queries of attendance follow-ups (table ``attendance_followups``).

Writes go through the store's record methods; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..models.enums import AttendanceKind, FollowUpStatus
from . import stored
from .core import Store
from ..models.kinds import ATTENDANCE_FOLLOW_UP

if TYPE_CHECKING:
    from ..models.attendance import AttendanceFollowUp

_OPEN = FollowUpStatus.OPEN.value


def of_date(store: Store, day: date, *, stored: bool = False) -> list[AttendanceFollowUp]:
    """The follow-ups of the attendance date ``day``, the last saved first (``stored``: see ``Store.select``)."""
    return store.select(ATTENDANCE_FOLLOW_UP, "date = ?", [str(day)], order_by="created_at DESC", stored=stored)


def open_before(store: Store, day: date, *, limit: int, stored: bool = False) -> list[AttendanceFollowUp]:
    """Open follow-ups of dates before ``day``, the latest date first (at most ``limit``; none for 0;
    ``stored``: see ``Store.select``)."""
    if limit <= 0:
        return []
    return store.select(ATTENDANCE_FOLLOW_UP, "date < ? AND status = ?", [str(day), _OPEN],
                        order_by="date DESC, created_at DESC", limit=limit, stored=stored)


def count_open_before(store: Store, day: date, *, limit: int) -> tuple[int, int]:
    """How many follow-ups :func:`open_before` lists with this ``limit``, and how many of them are due by
    ``day`` (their due date, or their date, not after it), without reading the records."""
    if limit <= 0:
        return 0, 0
    rows = ("SELECT COALESCE(due_date, date) <= ? AS due FROM attendance_followups "
            "WHERE date < ? AND status = ? AND voided = 0 ORDER BY date DESC, created_at DESC LIMIT ?")
    count, due = store.db.execute(f"SELECT COUNT(*), TOTAL(due) FROM ({rows})",
                                  [str(day), str(day), _OPEN, int(limit)]).fetchone()
    return int(count), int(due)


def open_by(store: Store, day: date) -> list[AttendanceFollowUp]:
    """Open follow-ups of dates up to ``day``, the oldest first."""
    return store.select(ATTENDANCE_FOLLOW_UP, "status = ? AND day <= ?", [_OPEN, str(day)], order_by="date, id")


def all_open(store: Store) -> list[AttendanceFollowUp]:
    """Every open follow-up, the oldest date first."""
    return store.select(ATTENDANCE_FOLLOW_UP, "status = ?", [_OPEN], order_by="date")


def due_count(store: Store, day: date) -> int:
    """Open follow-ups due by ``day`` (their due date, else their own date)."""
    return store.db.execute(
        "SELECT count(*) FROM attendance_followups WHERE voided = 0 AND status = ? AND coalesce(due_date, date) <= ?",
        [_OPEN, str(day)]).fetchone()[0]


# what an attendance follow-up's row reads, from its columns (see store.stored)
stored.columns(ATTENDANCE_FOLLOW_UP, {"date": stored.day, "student_id": stored.line, "periods": stored.names,
                                      "cause": stored.text, "attendance_kind": stored.vocab(AttendanceKind),
                                      "status": stored.vocab(FollowUpStatus), "due_date": stored.day})
