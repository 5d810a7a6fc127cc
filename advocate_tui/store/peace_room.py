"""The queries of Peace Room visits (table ``peace_room_visits``, migration m011).

Writes go through the store's record methods, each with its audit entry; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .core import Store
from ..models.kinds import PEACE_ROOM_VISIT

if TYPE_CHECKING:
    from ..models.peace_room import PeaceRoomVisit


def in_room(store: Store) -> list[PeaceRoomVisit]:
    """Visits with no time out yet (the students in the room now), first in first."""
    return store.select(PEACE_ROOM_VISIT, "time_out IS NULL", order_by="time_in")


def in_room_count(store: Store) -> int:
    """How many students are in the room now (visits not voided with no time out)."""
    return int(store.db.execute(
        "SELECT count(*) FROM peace_room_visits WHERE voided = 0 AND time_out IS NULL").fetchone()[0])


def visits_between(store: Store, start: date, end: date) -> list[PeaceRoomVisit]:
    """Visits begun on the school days ``start``..``end`` (not voided), oldest first."""
    return store.select(PEACE_ROOM_VISIT, "day BETWEEN ? AND ?", [start.isoformat(), end.isoformat()],
                        order_by="time_in")


def visits_of_student(store: Store, student_id: str) -> list[PeaceRoomVisit]:
    """Every (not voided) visit of the student, newest first."""
    return store.select(PEACE_ROOM_VISIT, "student_id = ?", [student_id])


def open_visit_of(store: Store, student_id: str) -> PeaceRoomVisit | None:
    """The student's visit still open (in the room now), if any."""
    found = store.select(PEACE_ROOM_VISIT, "student_id = ? AND time_out IS NULL", [student_id], limit=1)
    return found[0] if found else None
