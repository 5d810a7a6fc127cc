"""The Peace Room: who is in the room now (time in, who sent them, why), their time out and whether they
went back to class, and the minutes out of class per student and in total.

Minutes out of class are the minutes of a visit that fall inside the bell schedule's periods (passing
time, before and after school don't count); a visit still open counts up to now. No Textual here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..desk import Desk
from ..store import peace_room as queries
from .recording import Invalid, _past_when, _required, _text, _validate
from .schools import of_school
from ..models.kinds import PEACE_ROOM_VISIT

if TYPE_CHECKING:
    from ..models.peace_room import PeaceRoomVisit


def _period(desk: Desk, when: dt.datetime) -> str:
    period = desk.clock.period_at(when)
    return period.name if period else ""


def check_in(desk: Desk, values: dict[str, Any]) -> PeaceRoomVisit:
    """A student comes in. Values: student, when (now by default), sent_by, reason, note, sweep_id.
    Refused (Invalid) when the student is already in the room."""
    errors: dict[str, str] = {}
    if not _text(values, "when"):
        values = {**values, "when": "now"}
    student = _required(values, "student", errors, "is required — type a few letters of the name, then enter")
    when = _past_when(desk, values, "when", errors, None, "a Peace Room visit")
    reason = _required(values, "reason", errors)
    if student and (open_visit := queries.open_visit_of(desk.store, student)) is not None:
        errors["student"] = f"is already in the Peace Room (since {desk.clock.label(open_visit.time_in)})"
    data = {"student_id": student, "time_in": when, "sent_by": _text(values, "sent_by"), "reason": reason,
            "note": _text(values, "note"), "sweep_id": values.get("sweep_id") or None,
            "period": _period(desk, when) if when is not None else ""}
    visit = _validate(PEACE_ROOM_VISIT, data, errors)
    return desk.store.add(visit)  # type: ignore[return-value]


def check_out(desk: Desk, visit: PeaceRoomVisit, *, returned_to_class: bool, went_to: str = "", note: str = "",
              when: str = "") -> PeaceRoomVisit:
    """The student leaves: back to class, or elsewhere (``went_to``); recorded as a change of status."""
    errors: dict[str, str] = {}
    current = desk.store.get(PEACE_ROOM_VISIT, visit.id)
    if current is None or current.voided:
        raise Invalid({"": "this visit is no longer on file"})
    if current.time_out is not None:
        raise Invalid({"": f"already out at {desk.clock.label(current.time_out)}"})
    out = _past_when(desk, {"when": when or "now"}, "when", errors, None, "a time out")
    if out is not None and out < current.time_in:
        errors["when"] = f"is before the time in ({desk.clock.label(current.time_in)})"
    if not returned_to_class and not went_to.strip():
        errors["went_to"] = "is required when the student did not go back to class — where did they go?"
    data = {**current.model_dump(), "time_out": out, "returned_to_class": returned_to_class,
            "went_to": "" if returned_to_class else went_to.strip(), "out_note": note.strip()}
    done = _validate(PEACE_ROOM_VISIT, data, errors)
    return desk.store.set_status(done, note="time out")  # type: ignore[return-value]


def minutes_out(desk: Desk, visit: PeaceRoomVisit, now: dt.datetime | None = None) -> int:
    """Minutes of the visit inside bell periods (an open visit: up to ``now``, default the clock's now)."""
    start = desk.clock.local(visit.time_in)
    end = desk.clock.local(visit.time_out) if visit.time_out is not None else desk.clock.local(now or desk.clock.now())
    if end <= start:
        return 0
    if desk.clock.day_off(start.date()) is not None:
        return 0
    total = 0.0
    day = start.date()
    for period in desk.profile.bell_schedule:
        p_start, p_end = desk.clock.at(day, period.start), desk.clock.at(day, period.end)
        overlap = (min(end, p_end) - max(start, p_start)).total_seconds()
        if overlap > 0:
            total += overlap
    return int(round(total / 60))


def minutes_in(desk: Desk, visit: PeaceRoomVisit, now: dt.datetime | None = None) -> int:
    """Minutes in the room, time in to time out (or now)."""
    end = visit.time_out or now or desk.clock.now()
    return max(0, int(round((end - visit.time_in).total_seconds() / 60)))


@dataclass
class PeaceRoomFigures:
    """Visits of a range: how many, minutes out of class per student and in total, by reason, by period,
    and how many went back to class."""

    visits: int = 0
    minutes_total: int = 0
    minutes_by_student: dict[str, int] = field(default_factory=dict)
    visits_by_student: dict[str, int] = field(default_factory=dict)
    by_reason: dict[str, int] = field(default_factory=dict)
    by_period: dict[str, int] = field(default_factory=dict)
    returned: int = 0
    not_returned: int = 0
    in_room: int = 0


def figures(desk: Desk, start: dt.date, end: dt.date, school: str | None = None) -> PeaceRoomFigures:
    """The Peace Room's figures for the school days ``start``..``end`` (in a coordinator's database
    ``school``: of that school's students only)."""
    visits = [v for v in queries.visits_between(desk.store, start, end) if of_school(v.student_id, school)]
    minutes: Counter[str] = Counter()
    for v in visits:
        minutes[v.student_id] += minutes_out(desk, v)
    return PeaceRoomFigures(
        visits=len(visits), minutes_total=sum(minutes.values()), minutes_by_student=dict(minutes.most_common()),
        visits_by_student=dict(Counter(v.student_id for v in visits).most_common()),
        by_reason=dict(Counter(v.reason for v in visits).most_common()),
        by_period=dict(Counter(v.period or "outside periods" for v in visits).most_common()),
        returned=sum(1 for v in visits if v.returned_to_class is True),
        not_returned=sum(1 for v in visits if v.returned_to_class is False),
        in_room=sum(1 for v in visits if v.in_room),
    )


def in_room(desk: Desk) -> list[PeaceRoomVisit]:
    """The students in the room now (first in first)."""
    return queries.in_room(desk.store)


def visits_of_student(desk: Desk, student_id: str) -> list[PeaceRoomVisit]:
    return queries.visits_of_student(desk.store, student_id)


def visits_between(desk: Desk, start: dt.date, end: dt.date) -> list[PeaceRoomVisit]:
    """Visits begun on the school days ``start``..``end``, oldest first."""
    return queries.visits_between(desk.store, start, end)


def in_room_count(desk: Desk) -> int:
    """How many students are in the room now (the header's count)."""
    return queries.in_room_count(desk.store)
