"""The Peace Room visit: its header count (students in the room now), its line on a student's page and the
line above their history (visits and minutes out of class). The room itself is :mod:`..peace_room`.
No Textual here.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...store import peace_room as queries
from .. import peace_room
from ..rows import Look, status_text
from ..text_fit import counted
from .registry import HeaderBit, Kind, on_call, register
from ...models.kinds import PEACE_ROOM_VISIT

if TYPE_CHECKING:
    from ...models.peace_room import PeaceRoomVisit
    from ..shift_parts import ShiftPart, ShiftText


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


# ------------------------------------------------------------------ the end-of-shift report
def _shift_section(t: ShiftText) -> list[str]:
    desk, visits = t.desk, t.report.visits
    out = [f"## Peace Room ({counted(len(visits), 'visit')})", ""]
    if not visits:
        return out + ["None.", ""]
    out += t.table(["In", "Out", "Student", "Sent by", "Why", "Back to class", "Minutes out of class"],
                   [[t.hhmm(v.time_in), t.hhmm(v.time_out) or "still in", t.who([v.student_id]), v.sent_by, v.reason,
                     "—" if v.returned_to_class is None else ("yes" if v.returned_to_class else f"no: {v.went_to}"),
                     peace_room.minutes_out(desk, v)] for v in visits])
    return out + [f"Minutes out of class in all: {sum(peace_room.minutes_out(desk, v) for v in visits)}.", ""]


def _still_in(t: ShiftText) -> list[tuple[int, str]]:
    from ..markdown import md_text

    now = t.report.in_room_now
    return [(10, "Still in the Peace Room: " + md_text(t.who([v.student_id for v in now])) + ".")] if now else []


@cache
def shift() -> ShiftPart:
    """The Peace Room's part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart

    return ShiftPart(
        place=40, section=_shift_section, handover=_still_in,
        gather=lambda desk, day, next_day: {"visits": queries.visits_between(desk.store, day, day),
                                            "in_room_now": queries.in_room(desk.store)},
        counts=lambda report: {"peace_room_visits": len(report.visits)},
        headline=lambda t: [counted(len(t.report.visits), "Peace Room visit")])


KIND = register(Kind(
    model=PEACE_ROOM_VISIT, label="Peace Room", modules=("peace_room", "demo_day"),
    counts=counts, header=header, history=history, summary=summary,
    tables=on_call("day_stats", "peace_room_tables"), tables_place=80, shift=shift,
))
