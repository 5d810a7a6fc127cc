"""The incident: its pane (1), its line on a student's page, its part of a handoff and its form's values.
No Textual here.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...models import IncidentAction, Level, StudentRole
from ...store import Store
from ...store.incidents import with_action_naming
from ...wording import Words
from .. import keep_apart
from ..ends import FOLLOW_UP
from ..keep_apart import KeepApart
from ..late import late_label, logged_late
from ..recording import _base, _date, _past_when, _required, _text, _validate, when_text
from ..pane_page import carried_page
from ..rows import (
    DayItem, Look, PaneRows, Row, follow_up_text, in_order, late_time, people, short, status_text, student_label, time_label,
    time_text,
)
from ..text_fit import counted
from .registry import BundlePart, Kind, carried_by, listed, on_call, register
from ...models.kinds import INCIDENT

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.handoff import Handoff
    from ...models.incident import Incident
    from ...models import HandoffBundle
    from ..handoff import HandoffReview
    from ..shift_parts import OpenItem, ShiftPart, ShiftReport, ShiftText

__all__ = ["pane_rows", "row"]


def pane_rows(look: Look) -> list[Row]:
    """Today's incidents, then those logged late, then earlier ones whose follow-up is due (carried over)."""
    desk, today = look.desk, look.day
    # (each record as stored: validated only when its row is opened, see store.stored)
    todays = desk.store.on_day(INCIDENT, today, stored=True)
    late = logged_late(desk, INCIDENT, today, stored=True)[-look.page:][::-1]
    # the carried ones only to fill the page (those already listed as late left out by the query), only
    # the first of them when the look reads the first rows (the rest counted: PaneRows)
    carried, unread, tally = carried_page(look, INCIDENT, len(todays) + len(late), [i.id for i in late],
                                          alert=("level = 'major'", lambda i: i.level.value == "major"))
    shown = in_order(todays, late, carried)[:look.page]
    look.names([s.student_id for inc, _how in shown for s in inc.students])
    return PaneRows([row(look, inc, how) for inc, how in shown], unread, tally)


def row(look: Look, inc: Incident, how: str = "today") -> Row:
    """One incident's row; ``how``: "today", "late" or "carried"."""
    desk, today, roster = look.desk, look.day, look.names([s.student_id for s in inc.students])
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
    status = status_text(inc.level.label, follow_up_text(inc.follow_up_date, desk.clock.today(), inc, desk.words),
                         amended=inc.amended)
    return "Incident" + (f" · {role}" if role else ""), what, status


# ------------------------------------------------------------------ its form's values
def build_incident(desk: Desk, values: dict[str, Any], record: Incident | None = None) -> Incident:
    """An Incident from the incident form's values (raises :class:`~..recording.Invalid`)."""
    errors: dict[str, str] = {}
    when = _past_when(desk, values, "when", errors, record.occurred_at if record else None, "an incident")
    behavior = _required(values, "behavior", errors)
    location = _required(values, "location", errors)
    level = _text(values, "level")
    if not level and behavior and (b := desk.profile.behavior_named(behavior)):
        level = b.level
    students = [s if isinstance(s, dict) else {"student_id": s} for s in values.get("students") or []]
    data = {
        **_base(record), "occurred_at": when, "behavior": behavior, "location": location,
        "level": level or Level.MINOR.value, "motivation": _text(values, "motivation") or "unknown",
        "students": students, "description": _text(values, "description"),
        "actions": list(values.get("actions") or []),
        "staff": [s.strip() for s in _text(values, "staff").split(",") if s.strip()],
        "follow_up_date": _date(desk, values, "follow_up", errors),
    }
    if record is None:
        data["reported_at"] = desk.clock.now() if when is not None and when <= desk.clock.now() else None
    return _validate(INCIDENT, data, errors)  # type: ignore[return-value]


def values(desk: Desk, record: Incident) -> dict[str, Any]:
    """An incident as its form's values (for an amend)."""
    d = record.model_dump(mode="json")
    return {"when": when_text(desk, record.occurred_at), "students": d["students"], "behavior": record.behavior,
            "location": record.location, "level": d["level"], "motivation": d["motivation"],
            "description": record.description, "actions": d["actions"], "staff": ", ".join(record.staff),
            "follow_up": str(record.follow_up_date) if record.follow_up_date else ""}


# ------------------------------------------------------------------ keep apart
@keep_apart.register
def keep_apart_pairs(store: Store, student_ids: list[str]) -> list[KeepApart]:
    """Pairs among ``student_ids`` named together in a (not voided) incident marked keep apart."""
    if len(student_ids) < 2:
        return []
    incidents = with_action_naming(store, IncidentAction.KEEP_APART, student_ids)
    asked = set(student_ids)
    out = []
    for incident in incidents:
        named = sorted({s.student_id for s in incident.students if s.role is not StudentRole.WITNESS} & asked)
        for a, b in combinations(named, 2):
            out.append(KeepApart(a, b, f"incident on {incident.occurred_at.date().isoformat()}: {incident.behavior}"))
    return out



# ------------------------------------------------------------------ the handoff
def _major_first(incidents: list[Incident]) -> list[Incident]:
    return sorted(incidents, key=lambda i: (i.level is not Level.MAJOR, i.occurred_at))


def pick(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """The day's incidents (major first), then those of earlier days saved since the last handoff."""
    seen = carried_by(earlier, "incident_ids")
    incidents = _major_first([i for i in desk.store.on_day(INCIDENT, day) if i.id not in seen])
    # saved after the last handoff for an earlier day: in no handoff yet, so in this one
    return incidents + [i for i in logged_late(desk, INCIDENT, day) if i.id not in seen]


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
    from ..markdown import bundle_names, bundle_time, none_or_table

    incidents = _major_first(bundle.incidents)
    return [f"## Incidents ({len(incidents)})", "", *none_or_table(
        words, ["Level", "When", "Where", "Behavior", "Students", "Actions", "Description"],
        [[i.level.label, bundle_time(bundle, i.occurred_at, words), i.location, i.behavior,
          bundle_names(bundle, i.student_ids()), ", ".join(a.label for a in i.actions), i.description]
         for i in incidents])]


def day_items(desk: Desk, h: Handoff, school: str) -> list[DayItem]:
    """The handoff's incidents for the coordinator, major first (in red)."""
    clock, out = desk.clock, []
    for i in _major_first(listed(desk, INCIDENT, h.incident_ids)):
        actions = ", ".join(a.label for a in i.actions)
        out.append(DayItem(f"{h.id}:{i.id}", "incident", school, h, i.occurred_at, tuple(i.student_ids()),
                           f"{i.level.label} · {i.behavior} · {i.location}",
                           f"{i.level.label} incident at {clock.label(i.occurred_at)}: {i.behavior} at {i.location}"
                           + (f"\nWhat was done: {actions}" if actions else "")
                           + (f"\n{i.description}" if i.description else ""), i, i.level is Level.MAJOR,
                           label="Incident", short="Incid."))
    return out




# ------------------------------------------------------------------ the end-of-shift report
def _shift_gather(desk: Desk, day: date, next_day: date) -> dict[str, list]:
    from ..shift_parts import open_follow_ups

    return {"incidents": sorted(desk.store.on_day(INCIDENT, day), key=lambda r: r.occurred_at),
            # follow-ups due up to the next school day and not ended, however old
            "open_incident_follow_ups": open_follow_ups(desk, INCIDENT, next_day)}


def _shift_section(t: ShiftText) -> list[str]:
    incidents = t.report.incidents
    return [f"## Incidents ({len(incidents)})", "", *(t.table(
        ["When", "Level", "Where", "Behavior", "Students", "Actions"],
        [[t.hhmm(i.occurred_at), i.level.label, i.location, i.behavior, t.who(i.student_ids()),
          ", ".join(a.label for a in i.actions)] for i in _major_first(incidents)]) if incidents else ["None.", ""])]


def _shift_open(report: ShiftReport) -> list[OpenItem]:
    from ..shift_parts import OpenItem

    return [OpenItem.follow_up(report, r, "Incident", r.behavior) for r in report.open_incident_follow_ups]


@cache
def shift() -> ShiftPart:
    """The incidents' part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart, unlisted_follow_ups

    return ShiftPart(place=10, gather=_shift_gather, counts=lambda report: {"incidents": len(report.incidents)},
                     headline=lambda t: [counted(len(t.report.incidents), "incident")], section=_shift_section,
                     open_items=_shift_open,
                     unlisted_open=lambda desk, report: unlisted_follow_ups(desk, INCIDENT, report,
                                                                            report.open_incident_follow_ups, "incident"))


KIND = register(Kind(
    model=INCIDENT, label="Incident", modules=("incident", "incidents", "incident_stats", "demo_shift"),
    pane="incidents", rows=pane_rows, quick_row=row, history=history,
    bundle=BundlePart(section="incidents", ids="incident_ids", place=20, pick=pick, rekey=rekey, show_place=20,
                      contents=contents, review=review, markdown=markdown, day_items=day_items),
    for_student=lambda sid: {"students": [{"student_id": sid, "role": "involved"}]},
    form="incident", title="Incident", build=build_incident, values=values, ends=FOLLOW_UP, tables=on_call("incident_stats", "tables"), tables_place=10,
    shift=shift,
))
