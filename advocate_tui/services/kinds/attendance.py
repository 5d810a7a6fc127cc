"""The attendance follow-up: its pane (4), its line on a student's page, its header count, its part of a
handoff and its form's values. No Textual here.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...models import FollowUpStatus
from ...store import attendance as queries
from ...wording import Words
from ..ends import ATTENDANCE
from ..pane_page import first_part
from ..recording import _base, _date, _required, _text, _validate, _words
from ..rows import DayItem, Look, PaneRows, Row, near_label, short, status_text, student_label, time_label, time_text
from ..text_fit import counted
from ...models.enums import AttendanceAction, AttendanceKind
from .registry import BundlePart, HeaderBit, Kind, carried_by, listed, register
from ...models.kinds import ATTENDANCE_FOLLOW_UP

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.attendance import AttendanceFollowUp
    from ...models.handoff import Handoff
    from ...models import HandoffBundle
    from ..handoff import HandoffReview
    from ..shift_parts import OpenItem, ShiftPart, ShiftReport
    from ..stat_table import Figures, StatTable

__all__ = ["pane_rows"]


def _due(f: AttendanceFollowUp, today: date) -> bool:
    return f.status is FollowUpStatus.OPEN and (f.due_date or f.date) <= today


def pane_rows(look: Look) -> list[Row]:
    """Today's attendance follow-ups, then earlier ones still open (carried over)."""
    desk, today = look.desk, look.day
    # (each record as stored: validated only when its row is opened, see store.stored)
    todays = queries.of_date(desk.store, today, stored=True)
    # the carried ones to fill the page, only the first of them when the look reads its first rows
    carried, unread, tally = first_part(
        look, len(todays), lambda n: queries.open_before(desk.store, today, limit=n, stored=True),
        lambda n: queries.count_open_before(desk.store, today, limit=n),
        lambda unread, due, read: {"carried": unread, "open": unread, "alert": due - sum(_due(f, today) for f in read)})
    roster = look.names([f.student_id for f in todays + carried])
    rows = []
    for f, is_carried in [(x, False) for x in todays] + [(x, True) for x in carried]:
        periods = f" {', '.join(f.periods)}" if f.periods else ""
        if f.status is not FollowUpStatus.OPEN:
            state = f.status.label.lower()
        elif f.due_date and f.due_date > today:
            state = f"open · due {near_label(f.due_date, today, desk.words)}"
        elif (f.due_date or f.date) < today:
            state = f"overdue {near_label(f.due_date or f.date, today, desk.words)}"
        else:
            state = "open · due today"
        when = f.created_at if (not is_carried and f.created_at) else f.date
        rows.append(Row(
            key=f.id, kind=f.kind, time=time_text(desk, when, is_carried), time_long=time_label(desk, when, is_carried), record=f,
            students=student_label(f.student_id, roster),
            students_short=student_label(f.student_id, roster, short=True), what=f"{f.attendance_kind.label}{periods}"
            + (f" · {short(f.cause, 30)}" if f.cause else ""),
            status=status_text(state, amended=f.amended), carried=is_carried, amended=f.amended,
            alert=is_carried and _due(f, today),
        ))
    return PaneRows(rows[:look.page], unread, tally)


def counts(look: Look) -> dict[str, Any]:
    """Open follow-ups due today or overdue."""
    return {"attendance_due": queries.due_count(look.desk.store, look.day)}


def header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    att = counts["attendance_due"]
    return [HeaderBit(70, f"{att} attendance due", f"{att} att. due", "warning" if att else "")]


def history(desk: Desk, f: AttendanceFollowUp, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Attendance", tardy or absent and the periods, its state."""
    what = f.attendance_kind.label + (f" {', '.join(f.periods)}" if f.periods else "") + (
        f" · {short(f.cause, 40)}" if f.cause else "")
    return "Attendance", what, status_text(f.status.label, amended=f.amended)


# ------------------------------------------------------------------ its form's values
def build_attendance(desk: Desk, values: dict[str, Any],
                     record: AttendanceFollowUp | None = None) -> AttendanceFollowUp:
    """An AttendanceFollowUp from the attendance form's values."""
    errors: dict[str, str] = {}
    student = _required(values, "student", errors, "is required — type a few letters of the name, then enter")
    day = _date(desk, values, "date", errors, empty_none=False)
    kind = _required(values, "attendance_kind", errors)
    periods = []
    for word in _words(_text(values, "periods")):
        period = desk.profile.period_named(word)
        if period is None:
            names = ", ".join(p.name for p in desk.profile.bell_schedule)
            errors["periods"] = f'has no period "{word}" — periods are {names}'
        else:
            periods.append(period.name)
    # the status is not the form's: a follow-up starts open, and resolving it is a change of status
    # (services.ends), so an amendment keeps the record's status as it is
    data = {
        **_base(record), "student_id": student, "date": day, "attendance_kind": kind, "periods": periods,
        "cause": _text(values, "cause"), "actions": list(values.get("actions") or []),
        "due_date": _date(desk, values, "due", errors), "note": _text(values, "note"),
    }
    if record is None:
        data["status"] = FollowUpStatus.OPEN.value
    return _validate(ATTENDANCE_FOLLOW_UP, data, errors)  # type: ignore[return-value]


def values(desk: Desk, record: AttendanceFollowUp) -> dict[str, Any]:
    """A follow-up as its form's values (for an amend)."""
    return {"student": record.student_id, "date": str(record.date), "attendance_kind": record.attendance_kind.value,
            "periods": " ".join(record.periods), "cause": record.cause, "actions": [a.value for a in record.actions],
            "due": str(record.due_date) if record.due_date else "", "note": record.note}


def follow_up(record: Record) -> dict[str, Any]:
    """A follow-up's values from another record: its first student (and, from a follow-up, its kind and periods)."""
    ids = record.student_ids()
    out: dict[str, Any] = {"student": ids[0] if ids else ""}
    if isinstance(record, ATTENDANCE_FOLLOW_UP):
        out.update({"attendance_kind": record.attendance_kind.value, "periods": " ".join(record.periods)})
    return out


# ------------------------------------------------------------------ the handoff
def pick(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """Every follow-up still open (of the day or before), oldest first."""
    seen = carried_by(earlier, "attendance_ids")
    return [a for a in queries.open_by(desk.store, day) if a.id not in seen]


def rekey(f: AttendanceFollowUp, key) -> AttendanceFollowUp:
    return f.model_copy(update={"student_id": key(f.student_id)})


def contents(desk: Desk, rv: "HandoffReview") -> list[str]:
    return [counted(len(rv.attendance), "open attendance follow-up")]


def review(desk: Desk, rv: "HandoffReview") -> list[str]:
    words = desk.words
    return [f"Open attendance follow-ups ({len(rv.attendance)}):",
            *([f"  {words.date(a.date, padded=True)} {a.attendance_kind.label} — {rv.student_names([a.student_id])}"
               + (f" (due {words.date(a.due_date, padded=True)})" if a.due_date else "") for a in rv.attendance]
              or ["  none"])]


def markdown(bundle: "HandoffBundle", words: Words) -> list[str]:
    from ..markdown import bundle_names, none_or_table

    return [f"## Open attendance follow-ups ({len(bundle.attendance)})", "", *none_or_table(
        words, ["Date", "Student", "Kind", "Periods", "Due", "Note"],
        [[words.full_date(a.date), bundle_names(bundle, [a.student_id]), a.attendance_kind.label, ", ".join(a.periods),
          words.full_date(a.due_date) if a.due_date else "", a.cause or a.note] for a in bundle.attendance])]


def day_items(desk: Desk, h: Handoff, school: str) -> list[DayItem]:
    """The handoff's open follow-ups for the coordinator, by date."""
    out = []
    for a in sorted(listed(desk, ATTENDANCE_FOLLOW_UP, h.attendance_ids), key=lambda a: a.date):
        periods = f" {', '.join(a.periods)}" if a.periods else ""
        out.append(DayItem(f"{h.id}:{a.id}", "attendance", school, h, a.date, (a.student_id,),
                           f"{a.attendance_kind.label}{periods}" + (f" · {a.cause}" if a.cause else ""),
                           f"{a.attendance_kind.label}{periods} on {a.date:%a %m/%d}"
                           + (f", due {a.due_date:%a %m/%d}" if a.due_date else "")
                           + (f"\nCause: {a.cause}" if a.cause else "") + (f"\n{a.note}" if a.note else ""), a,
                           label="Attendance", short="Attend."))
    return out


# ------------------------------------------------------------------ figures
def tables(fig: Figures) -> list[StatTable]:
    """Follow-ups by kind and by outcome, and the actions taken."""
    from ...store import stats_queries as stat_queries
    from ..stat_table import StatTable, relabel

    store, (s, e), sc = fig.desk.store, fig.span, fig.school
    return [StatTable("att_kind", "Attendance follow-ups by kind",
                      relabel(stat_queries.attendance_by(store, "attendance_kind", s, e, sc), AttendanceKind), "kind"),
            StatTable("att_status", "Attendance follow-ups by outcome",
                      relabel(stat_queries.attendance_by(store, "status", s, e, sc), FollowUpStatus), "outcome"),
            StatTable("att_action", "Attendance follow-up actions",
                      relabel(stat_queries.attendance_actions(store, s, e, sc), AttendanceAction), "action")]


# ------------------------------------------------------------------ the end-of-shift report
def _shift_open(report: ShiftReport) -> list[OpenItem]:
    from ..shift_parts import OpenItem

    return [OpenItem(a.due_date or a.date, [a.student_id], f"Attendance: {a.attendance_kind.label}", a.cause or a.note)
            for a in report.open_attendance]


@cache
def shift() -> ShiftPart:
    """The follow-ups' part of the end-of-shift report (first among the follow-ups left open: it has no section
    of its own), made when the report first asks."""
    from ..shift_parts import ShiftPart

    return ShiftPart(place=5, gather=lambda desk, day, next_day: {"open_attendance": queries.all_open(desk.store)},
                     open_items=_shift_open)


KIND = register(Kind(
    model=ATTENDANCE_FOLLOW_UP, label="Attendance", modules=("attendance", "demo_shift"),
    pane="attendance", rows=pane_rows, counts=counts, header=header, history=history,
    bundle=BundlePart(section="attendance", ids="attendance_ids", place=30, pick=pick, rekey=rekey, show_place=30,
                      contents=contents, review=review, markdown=markdown, day_items=day_items),
    for_student=lambda sid: {"student": sid},
    form="attendance", title="Attendance follow-up", build=build_attendance, values=values, follow_up=follow_up, ends=ATTENDANCE, tables=tables, tables_place=30,
    shift=shift,
))
