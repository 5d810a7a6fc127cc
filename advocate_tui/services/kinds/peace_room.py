"""The Peace Room visit: its header count (students in the room now), its line on a student's page and the
line above their history (visits and minutes out of class). The room itself is :mod:`..peace_room`.
No Textual here.
"""

from __future__ import annotations

from typing import Any

from ...desk import Desk
from ...models.peace_room import PeaceRoomVisit
from ...store import peace_room as queries
from .. import peace_room
from ..rows import Look, status_text
from ..day_stats import peace_room_tables
from .registry import HeaderBit, Kind, register


def counts(look: Look) -> dict[str, Any]:
    return {"peace_room_in": peace_room.in_room_count(look.desk)}


def header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    n = counts["peace_room_in"]  # only when there is someone to see to
    return [HeaderBit(90, f"{n} in the Peace Room", f"{n} in PR")] if n else []


def history(desk: Desk, visit: PeaceRoomVisit, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Peace Room", why and who sent them, where they went and the minutes out of class."""
    went = "in the room" if visit.in_room else ("back to class" if visit.returned_to_class else f"to {visit.went_to}")
    what = f"{visit.reason}" + (f" · sent by {visit.sent_by}" if visit.sent_by else "")
    return "Peace Room", what, status_text(went, f"{peace_room.minutes_out(desk, visit)} min out of class",
                                           amended=visit.amended)


def summary(desk: Desk, student_id: str) -> list[str]:
    """Above a student's history: their visits and minutes out of class (and whether they are in the room now)."""
    visits = queries.visits_of_student(desk.store, student_id)
    if not visits:
        return []
    minutes = sum(peace_room.minutes_out(desk, v) for v in visits)
    now = " · in the room now" if any(v.in_room for v in visits) else ""
    return [f"Peace Room: {len(visits)} visit{'s' * (len(visits) != 1)}, {minutes} min out of class{now}"]


KIND = register(Kind(
    model=PeaceRoomVisit, label="Peace Room", modules=("peace_room",),
    counts=counts, header=header, history=history, summary=summary, tables=peace_room_tables, tables_place=80,
))
