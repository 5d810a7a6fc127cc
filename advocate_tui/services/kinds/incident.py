"""The incident: its pane (1), its line on a student's page, its part of a handoff and its form's values.
No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...desk import Desk
from ...models import Level, Record
from ...models.incident import Incident
from ...store import follow_ups as follow_up_queries
from ..late import late_label, logged_late
from ..rows import (
    Look, Row, follow_up_text, in_order, late_time, people, short, status_text, student_label, time_label,
    time_text,
)
from .registry import Kind, register

__all__ = ["pane_rows", "row"]


def pane_rows(look: Look) -> list[Row]:
    """Today's incidents, then those logged late, then earlier ones whose follow-up is due (carried over)."""
    desk, today = look.desk, look.day
    todays = desk.store.on_day(Incident, today)
    late = logged_late(desk, Incident, today)[-look.page:][::-1]
    skip = {i.id for i in late}
    carried = [r for r in follow_up_queries.due_before(desk.store, Incident, today, limit=look.page) if r.id not in skip]
    look.names([s for i in todays + late + carried for s in i.student_ids()])
    return [row(look, inc, how) for inc, how in in_order(todays, late, carried)][:look.page]


def row(look: Look, inc: Incident, how: str = "today") -> Row:
    """One incident's row; ``how``: "today", "late" or "carried"."""
    desk, today, roster = look.desk, look.day, look.names(inc.student_ids())
    is_carried = how == "carried"
    who = people([student_label(s.student_id, roster, s.role.value) for s in inc.students])
    brief = people([student_label(s.student_id, roster, s.role.value, short=True) for s in inc.students])
    time = late_time(desk, inc.occurred_at) if how == "late" else time_text(desk, inc.occurred_at, is_carried)
    return Row(students_short=brief,
        key=inc.id, kind=inc.kind, time=time, time_long=time if how == "late" else time_label(desk, inc.occurred_at, is_carried), students=who or "—",
        what=f"{inc.behavior} · {inc.location}", record=inc, carried=is_carried, amended=inc.amended,
        late=how == "late",
        status=status_text(inc.level.label, follow_up_text(inc.follow_up_date, today, inc, desk.words),
                           late_label(desk, inc) if how == "late" else "", amended=inc.amended),
        alert=inc.level.value == "major",
    )


def history(desk: Desk, inc: Incident, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Incident · harmed", what happened, its level and follow-up."""
    what = f"{inc.behavior} · {inc.location}" + (f" — {short(inc.description, 40)}" if inc.description else "")
    status = status_text(inc.level.label, follow_up_text(inc.follow_up_date, desk.clock.today(), words=desk.words),
                         amended=inc.amended)
    return "Incident" + (f" · {role}" if role else ""), what, status


KIND = register(Kind(
    model=Incident, label="Incident", modules=("incident", "incidents"),
    pane="incidents", rows=pane_rows, quick_row=row, history=history,
))
