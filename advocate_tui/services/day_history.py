"""The rest of the day on a student's page: a row for each sweep, Peace Room visit, CICO enrolment and card,
and the lines above the history (visits and minutes out of class, sweeps, the CICO chart of the last 20
school days). No Textual here.
"""

from __future__ import annotations

from ..desk import Desk
from ..models import Record
from ..models.cico import CicoDay, CicoDayStatus, CicoEnrolment
from ..models.peace_room import PeaceRoomVisit
from ..models.sweep import Sweep
from ..store import cico as cico_queries
from ..store import peace_room as room_queries
from ..store import sweeps as sweep_queries
from . import cico, peace_room
from .sweeps import times_this_week
from .today import _short, _status

__all__ = ["day_row", "summary_lines", "chart_lines", "SPARK"]

#: bar heights of the chart, 0 % to 100 %
SPARK = "▁▂▃▄▅▆▇█"
#: a day without a percentage on the chart: no card, absent, no data, no school, before enrolment
NO_BAR = {None: "·", CicoDayStatus.ABSENT: "a", CicoDayStatus.NO_DATA: "?", CicoDayStatus.NO_SCHOOL: "-"}


def day_row(desk: Desk, record: Record, kind: str, student_id: str) -> tuple[str, str, str]:
    """(kind label, what, status) of a sweep, visit, enrolment or card on the student's page."""
    if isinstance(record, Sweep):
        me = next((s for s in record.students if s.student_id == student_id), None)
        passed = (f"pass {me.pass_from or '?'} → {me.pass_to or '?'}" if me and me.has_pass else "no pass")
        what = f"{record.place} · {passed}" + (f" — {_short(record.note, 40)}" if record.note else "")
        others = len(record.students) - 1
        return "Sweep", what, _status(f"sent: {me.sent_to}" if me else "", f"+{others} more" if others else "",
                                      amended=record.amended)
    if isinstance(record, PeaceRoomVisit):
        went = "in the room" if record.in_room else ("back to class" if record.returned_to_class
                                                    else f"to {record.went_to}")
        what = f"{record.reason}" + (f" · sent by {record.sent_by}" if record.sent_by else "")
        return "Peace Room", what, _status(went, f"{peace_room.minutes_out(desk, record)} min out of class",
                                           amended=record.amended)
    if isinstance(record, CicoEnrolment):
        what = f"goal {record.goal_percent}% · {', '.join(record.expectations)}"
        return "CICO plan", what, _status(record.phase.label, amended=record.amended)
    if isinstance(record, CicoDay):
        pct = "—" if record.percent is None else f"{record.percent:.0f}% of {record.goal_percent}%"
        return "CICO day", f"{record.status.label} · {pct}", _status(
            "signed" if record.parent_signed else "", _short(record.comment, 30), amended=record.amended)
    return kind, "", ""


def summary_lines(desk: Desk, student_id: str) -> list[str]:
    """What sits above the history: Peace Room visits and minutes, sweeps (this week), CICO (chart below)."""
    out = []
    visits = room_queries.visits_of_student(desk.store, student_id)
    if visits:
        minutes = sum(peace_room.minutes_out(desk, v) for v in visits)
        now = " · in the room now" if any(v.in_room for v in visits) else ""
        out.append(f"Peace Room: {len(visits)} visit{'s' * (len(visits) != 1)}, {minutes} min out of class{now}")
    swept = sweep_queries.sweeps_of_student(desk.store, student_id)
    if swept:
        week = times_this_week(desk, [student_id], desk.clock.today())[student_id]
        out.append(f"Hall sweeps: {len(swept)} ({week} this week)")
    return out


def chart_lines(desk: Desk, student_id: str) -> list[str]:
    """The student's CICO chart of the last 20 school days as text (empty when never enrolled): a heading
    with the goal, the two weeks' average and the flags; a bar a day (· no card, a absent, ? no data,
    - no school, blank before enrolment) with ▲ under a day that met its goal; the plan changes by date."""
    enrolments = cico_queries.enrolments_of_student(desk.store, student_id)
    if not enrolments:
        return []
    enrolment = enrolments[0]
    points = cico.series(desk, enrolment)
    avg = cico.average(desk, enrolment)
    flags = cico.flags(desk, enrolment)
    head = (f"CICO · {enrolment.phase.label} · goal {enrolment.goal_percent}% · last 2 weeks "
            f"{'—' if avg is None else f'{avg:.0f}%'}" + (f" · ⚑ {'; '.join(flags)}" if flags else ""))
    bars, marks = [], []
    for p in points:
        if not p.enrolled:
            bars.append(" ")
        elif p.percent is None:
            bars.append(NO_BAR.get(p.status, "·"))
        else:
            bars.append(SPARK[min(len(SPARK) - 1, int(p.percent / 100 * (len(SPARK) - 1) + 0.5))])
        marks.append("▲" if p.percent is not None and p.percent >= p.goal else ("|" if p.change else " "))
    first, last = points[0].day, points[-1].day
    out = [head, f"{first:%m/%d} {''.join(bars)} {last:%m/%d}", f"      {''.join(marks)}  ▲ goal met · | plan change"]
    out += [f"  {c.on:%m/%d}: {c.what}" for c in enrolment.changes if first <= c.on <= last]
    return out
