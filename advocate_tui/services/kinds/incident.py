"""The incident: its pane (1), its line on a student's page, its part of a handoff and its form's values.
No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...desk import Desk
from ...models import Handoff, Level, Record
from ...models.incident import Incident
from ...store import follow_ups as follow_up_queries
from ...wording import Words
from ..late import late_label, logged_late
from ..markdown import bundle_names, bundle_time, none_or_table
from ..rows import (
    DayItem, Look, Row, follow_up_text, in_order, late_time, people, short, status_text, student_label, time_label,
    time_text,
)
from ..text_fit import counted
from .registry import BundlePart, Kind, carried_by, listed, register

if TYPE_CHECKING:
    from ...models import HandoffBundle
    from ..handoff import HandoffReview

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


# ------------------------------------------------------------------ the handoff
def _major_first(incidents: list[Incident]) -> list[Incident]:
    return sorted(incidents, key=lambda i: (i.level is not Level.MAJOR, i.occurred_at))


def pick(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """The day's incidents (major first), then those of earlier days saved since the last handoff."""
    seen = carried_by(earlier, "incident_ids")
    incidents = _major_first([i for i in desk.store.on_day(Incident, day) if i.id not in seen])
    # saved after the last handoff for an earlier day: in no handoff yet, so in this one
    return incidents + [i for i in logged_late(desk, Incident, day) if i.id not in seen]


def rekey(inc: Incident, key) -> Incident:
    return inc.model_copy(update={"students": [s.model_copy(update={"student_id": key(s.student_id)})
                                               for s in inc.students]})


def contents(desk: Desk, rv: "HandoffReview") -> list[str]:
    late = sum(1 for i in rv.incidents if rv.other_day(desk, i.occurred_at))
    return [counted(len(rv.incidents), "incident") + (f" ({late} logged late)" if late else "")]


def _line(desk: Desk, rv: "HandoffReview", i: Incident) -> str:
    return (f"  {i.level.label:<5} {rv.when(desk, i.occurred_at):>11}  {i.behavior} at {i.location}"
            f" — {rv.student_names(i.student_ids()) or 'no students named'}")


def review(desk: Desk, rv: "HandoffReview") -> list[str]:
    """Today's incidents, major first; then those of earlier days saved since the last handoff."""
    late = [i for i in rv.incidents if rv.other_day(desk, i.occurred_at)]
    today = [i for i in rv.incidents if i not in late]
    lines = [f"Incidents today ({len(today)}), major first:"]
    lines += [_line(desk, rv, i) for i in today] or ["  none"]
    if late:
        lines.append(f"Incidents of earlier days saved since the last handoff ({len(late)}):")
        lines += [_line(desk, rv, i) + f" · {late_label(desk, i)}" for i in late]
    return lines


def markdown(bundle: "HandoffBundle", words: Words) -> list[str]:
    incidents = _major_first(bundle.incidents)
    return [f"## Incidents ({len(incidents)})", "", *none_or_table(
        words, ["Level", "When", "Where", "Behavior", "Students", "Actions", "Description"],
        [[i.level.label, bundle_time(bundle, i.occurred_at, words), i.location, i.behavior,
          bundle_names(bundle, i.student_ids()), ", ".join(a.label for a in i.actions), i.description]
         for i in incidents])]


def day_items(desk: Desk, h: Handoff, school: str) -> list[DayItem]:
    """The handoff's incidents for the coordinator, major first (in red)."""
    clock, out = desk.clock, []
    for i in _major_first(listed(desk, Incident, h.incident_ids)):
        actions = ", ".join(a.label for a in i.actions)
        out.append(DayItem(f"{h.id}:{i.id}", "incident", school, h, i.occurred_at, tuple(i.student_ids()),
                           f"{i.level.label} · {i.behavior} · {i.location}",
                           f"{i.level.label} incident at {clock.label(i.occurred_at)}: {i.behavior} at {i.location}"
                           + (f"\nWhat was done: {actions}" if actions else "")
                           + (f"\n{i.description}" if i.description else ""), i, i.level is Level.MAJOR,
                           label="Incident", short="Incid."))
    return out


KIND = register(Kind(
    model=Incident, label="Incident", modules=("incident", "incidents"),
    pane="incidents", rows=pane_rows, quick_row=row, history=history,
    bundle=BundlePart(section="incidents", ids="incident_ids", place=20, pick=pick, rekey=rekey, show_place=20,
                      contents=contents, review=review, markdown=markdown, day_items=day_items),
    for_student=lambda sid: {"students": [{"student_id": sid, "role": "involved"}]},
))
