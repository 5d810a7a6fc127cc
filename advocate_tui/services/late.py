"""What no handoff holds yet: records *logged late* (saved after the last handoff for an earlier day).

Whatever is saved after the last handoff for an earlier day (an incident logged the next morning with
When = yesterday 14:10, or saved after the day's sign-off) is in no handoff yet: it goes into the next
one, whatever its day, and the main screen shows it until then. No Textual here.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from ..desk import Desk
from ..store import handoffs as queries

if TYPE_CHECKING:
    from ..models.base import Record

R = TypeVar("R", bound="Record")

__all__ = ["last_handoff", "late_cutoff", "logged_late", "late_label", "day_of"]


def day_of(record: Record) -> date:
    """The school day of a record's own time."""
    when = record.when
    return when.date() if hasattr(when, "date") and callable(when.date) else when


def last_handoff(desk: Desk, *, stored: bool = False):
    """The latest handoff signed at this desk's database (any day; voided ones left out), or None
    (``stored``: see ``Store.select``)."""
    return queries.latest_by_day(desk.store, stored=stored)


def late_cutoff(desk: Desk) -> dt.datetime:
    """Saved after this is not in any handoff yet: the last handoff's signing (before the first
    handoff ever, the start of today)."""
    last = last_handoff(desk, stored=True)
    if last is not None:
        return last.signed_at
    return desk.clock.at(desk.clock.today(), dt.time(0, 0))


def logged_late(desk: Desk, record_type: type[R], day: date | None = None, *, stored: bool = False) -> list[R]:
    """Records of ``record_type`` for a day before ``day`` (default today) saved after the last handoff:
    no handoff has them yet, and the day's own screen is gone. Oldest first (``stored``: see
    ``Store.select``)."""
    day = day or desk.clock.today()
    cutoff = late_cutoff(desk)
    # created_at is school-time ISO text: narrow by its date in SQL, then compare exactly
    found = queries.saved_since(desk.store, record_type, day, desk.clock.local(cutoff).date(), stored=stored)
    return [r for r in found if r.created_at is not None and r.created_at > cutoff]


def late_label(desk: Desk, record: Record) -> str:
    """'logged late' for a record saved on a later day than its own, else 'not handed off' (saved on
    its day, after that day's handoff or with none signed since)."""
    created = desk.clock.local(record.created_at).date() if record.created_at else None
    return "logged late" if created is not None and created > day_of(record) else "not handed off"
