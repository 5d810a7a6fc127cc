"""What the main screen shows: today's items per pane, carried-over open items, the header's counts.

Each pane gets a list of :class:`Row` (newest first, at most :data:`PAGE` rows): today's records,
then records of earlier days saved after the last handoff (marked ``late``: "logged late"; they go
into the next handoff), then the open ones carried over from earlier days — referrals not closed,
open attendance follow-ups, incident and contact follow-ups due and not ended (however long ago they
fell due: an item stays until it ends) — marked ``carried``. Voided records are left out; amended
ones are marked. :func:`load` returns all five panes and the :class:`Counts` in one go, so a
worker thread can call it with its own store (``desk_for_thread``). No Textual here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime

import pendulum

from ..desk import Desk
from ..models import (
    AttendanceFollowUp,
    ContactNote,
    FollowUpStatus,
    Handoff,
    Incident,
    PatrolRound,
    Record,
    Referral,
    ReferralStatus,
    Student,
)
from ..wording import US, Words
from .checklist import DoorState, PatrolState, current_shift, patrol_state
from .checklist import door_status as door_states
from .handoff import late_label, logged_late
from .referral_word import has_word, word
from .text_fit import cut_words

__all__ = ["PAGE", "PANES", "Row", "Counts", "TodayView", "load", "counts", "desk_for_thread",
           "pane_rows", "new_row", "student_label", "names", "student_history", "meetings_today", "meeting_rows"]

#: the most rows a pane shows (a screenful or two; the rest is on the student page and in reports)
PAGE = 300
#: the five panes in key order (1-5)
PANES = ("incidents", "checklist", "contacts", "attendance", "referrals")

ROLE_MARK = {"responsible": "R", "harmed": "H", "witness": "W", "involved": "I"}


@dataclass(frozen=True)
class Row:
    """One line of a pane: time, student(s), what, status, and what it points to."""

    key: str
    kind: str
    time: str
    students: str
    what: str
    status: str
    carried: bool = False
    amended: bool = False
    #: stands out in red: a door exception, an overdue patrol, an urgent referral
    alert: bool = False
    record: Record | None = None
    #: for checklist rows about a door (open = check that door)
    door: str | None = None
    #: the students with family initials ("Marcus L. (R)"), for a narrow column
    students_short: str = ""
    #: the time with its bell period ("P3 · 10:42") for today's timed items, for a wide screen
    time_long: str = ""
    #: an earlier day's record saved after the last handoff ("logged late"): in the next handoff
    late: bool = False


@dataclass(frozen=True)
class Counts:
    """The header's live counts."""

    doors_unchecked: int
    doors_total: int
    door_exceptions: int
    patrol: PatrolState
    open_referrals: int
    attendance_due: int
    shift: str = ""
    #: referrals still "new": what the day's-end handoff will hand over (a part of ``open_referrals``,
    #: which counts every referral not closed)
    referrals_to_hand_off: int = 0
    #: why there is no school today ("Thanksgiving break"): no door check or patrol is expected
    day_off: str | None = None
    #: meetings the coordinator scheduled for today (students to collect), and the time of the next one
    meetings_today: int = 0
    next_meeting: str = ""
    #: restorative processes: meetings today, agreement items and check-ins due or overdue
    processes_due: int = 0
    #: the rest of the day (issue 14): students in the Peace Room now, CICO students not yet checked in
    peace_room_in: int = 0
    cico_to_check_in: int = 0


@dataclass
class TodayView:
    """Everything the main screen shows at one moment."""

    day: date
    panes: dict[str, list[Row]] = field(default_factory=dict)
    counts: Counts | None = None


def desk_for_thread(desk: Desk) -> Desk:
    """A copy of the desk with its own connection, for a worker thread (close its store after)."""
    return dataclasses.replace(desk, store=desk.store.reopen())


# ------------------------------------------------------------------ formatting helpers
def names(desk: Desk, ids: list[str], cache: dict[str, Student] | None = None) -> dict[str, Student]:
    """Students for these ids (a shared cache avoids asking twice)."""
    cache = cache if cache is not None else {}
    missing = [i for i in ids if i not in cache]
    if missing:
        cache.update(desk.store.students_by_id(missing))
    return cache


def student_label(sid: str, roster: dict[str, Student], role: str | None = None, *, short: bool = False) -> str:
    """"Ana Garcia" (or the number if not on the roster), with a role mark "(R)" for incidents;
    ``short``: "Ana G." for a narrow column."""
    student = roster.get(sid)
    if student is None:
        name = sid
    elif short:
        name = f"{student.preferred_name or student.given_name} {student.family_name[:1]}."
    else:
        name = student.display_name
    return f"{name} ({ROLE_MARK.get(role, role[:1].upper())})" if role else name


#: students named in a row before the rest are counted ("+2"); a cell wraps onto a second line
PEOPLE_SHOWN = 3


def _people(labels: list[str]) -> str:
    if len(labels) <= PEOPLE_SHOWN:
        return ", ".join(labels)
    return f"{', '.join(labels[:PEOPLE_SHOWN - 1])} +{len(labels) - PEOPLE_SHOWN + 1}"


def _hhmm(desk: Desk, when: datetime) -> str:
    return desk.clock.local(when).format("HH:mm")


def _day_label(day: date, words: Words = US) -> str:
    return words.day(day)


def _near_label(day: date, today: date, words: Words = US) -> str:
    """"Thu" for a day of this week (Monday to Sunday), else the date: "Thu 11/19" — so "due Fri" and
    "overdue Fri" never mean different weeks."""
    same_week = day.isocalendar()[:2] == today.isocalendar()[:2]
    return pendulum.date(day.year, day.month, day.day).format("ddd") if same_week else words.day(day)


def _time(desk: Desk, when: datetime | date, carried: bool) -> str:
    if carried:
        day = desk.clock.local(when).date() if isinstance(when, datetime) else when
        return desk.words.date(day)
    return _hhmm(desk, when) if isinstance(when, datetime) else "today"


def _label(desk: Desk, when: datetime | date | None, carried: bool) -> str:
    """"P3 · 10:42" for a time today (the bell period, when inside one); "" for a carried-over day."""
    if carried or not isinstance(when, datetime):
        return ""
    return desk.clock.label(when)


def _short(text: str, width: int = 48) -> str:
    """The text on one line, cut at a word's edge to ``width``."""
    return cut_words(text, width)


def _late_time(desk: Desk, when: datetime | date) -> str:
    """"11/22 14:10" for a record of an earlier day (a date-only record: "11/22")."""
    if isinstance(when, datetime):
        return desk.words.date_time(desk.clock.local(when))
    return desk.words.date(when)


def _follow_up(due: date | None, today: date, record: Record | None = None, words: Words = US) -> str:
    end = getattr(record, "follow_up_end", None)
    if due is None:
        return ""
    if end is not None:
        return f"follow-up {end.value}"
    if due == today:
        return "follow-up due today"
    if due < today:
        return f"follow-up overdue {_near_label(due, today, words)}"
    return f"follow-up {_near_label(due, today, words)}"


def _status(*bits: str, amended: bool = False) -> str:
    parts = [b for b in bits if b]
    if amended:
        parts.append("amended")
    return " · ".join(parts)


# ------------------------------------------------------------------ panes
def incident_rows(desk: Desk, roster: dict | None = None) -> list[Row]:
    """Today's incidents, then earlier ones whose follow-up is due (carried over)."""
    today = desk.clock.today()
    todays = desk.store.on_day(Incident, today)
    late = logged_late(desk, Incident, today)[-PAGE:][::-1]
    carried = _follow_ups_due(desk, Incident, today, skip={i.id for i in late})
    roster = names(desk, [s for i in todays + late + carried for s in i.student_ids()], roster)
    return [_incident_row(desk, inc, how, roster, today) for inc, how in _in_order(todays, late, carried)][:PAGE]


def _incident_row(desk: Desk, inc: Incident, how: str, roster: dict, today: date) -> Row:
    """One incident's row; ``how``: "today", "late" or "carried"."""
    is_carried = how == "carried"
    who = _people([student_label(s.student_id, roster, s.role.value) for s in inc.students])
    short = _people([student_label(s.student_id, roster, s.role.value, short=True) for s in inc.students])
    time = _late_time(desk, inc.occurred_at) if how == "late" else _time(desk, inc.occurred_at, is_carried)
    return Row(students_short=short,
        key=inc.id, kind=inc.kind, time=time, time_long=time if how == "late" else _label(desk, inc.occurred_at, is_carried), students=who or "—",
        what=f"{inc.behavior} · {inc.location}", record=inc, carried=is_carried, amended=inc.amended,
        late=how == "late",
        status=_status(inc.level.label, _follow_up(inc.follow_up_date, today, inc, desk.words),
                       late_label(desk, inc) if how == "late" else "", amended=inc.amended),
        alert=inc.level.value == "major",
    )


def _follow_ups_due(desk: Desk, record_type: type, today: date, skip: set[str]) -> list:
    """Earlier days' records whose follow-up is due or overdue and not ended (however long ago)."""
    found = desk.store.select(record_type, "day < ? AND follow_up_date IS NOT NULL AND follow_up_date <= ? "
                              "AND follow_up_end IS NULL", [str(today), str(today)],
                              order_by="follow_up_date DESC", limit=PAGE)
    return [r for r in found if r.id not in skip]


def _in_order(todays: list, late: list, carried: list) -> list[tuple[Record, str]]:
    """Today's records, then those logged late, then those carried over."""
    return [(r, "today") for r in todays] + [(r, "late") for r in late] + [(r, "carried") for r in carried]


def checklist_rows(desk: Desk, doors: list[DoorState] | None = None,
                   patrol: PatrolState | None = None) -> list[Row]:
    """The patrol line, doors (exceptions, then unchecked, then checked newest first), today's rounds."""
    doors = door_states(desk) if doors is None else doors
    patrol = patrol_state(desk) if patrol is None else patrol
    rows = []
    due = _hhmm(desk, patrol.due_at) if patrol.due_at else ""
    if patrol.open_round is None:
        rows.append(Row(key="patrol:due", kind="patrol_due", time=due, students="", what="Patrol round",
                        time_long=_label(desk, patrol.due_at, False) if patrol.due_at else "",
                        status=patrol.text(), alert=patrol.status == "overdue"))
    order = sorted(doors, key=lambda d: (not d.is_exception, d.checked_this_shift,
                                         -(d.latest.checked_at.timestamp() if d.latest else 0)))
    today = desk.clock.today()
    off = patrol.day_off
    for d in order:
        last = d.latest
        earlier = last is not None and desk.clock.local(last.checked_at).date() != today
        if last is None:
            status = "no check due" if off else "not checked"
        else:
            unchecked = " · no check due today" if off else " · not checked this shift"
            status = last.status.label + ("" if d.checked_this_shift else unchecked)
            if last.note:  # what was found, or how an exception was cleared
                status += f" · {_short(last.note, 40)}"
        rows.append(Row(key=f"door:{d.door}", kind="door", door=d.door, record=last, students="",
                        time=_time(desk, last.checked_at, earlier) if last else "—", what=f"Door · {d.door}",
                        time_long=_label(desk, last.checked_at, earlier) if last else "",
                        status=_status(status, amended=bool(last and last.amended)), alert=d.is_exception,
                        amended=bool(last and last.amended), carried=earlier))
    rounds = desk.store.on_day(PatrolRound, desk.clock.today())
    # the round under way goes first (where the "patrol due" line would be), then the rest, newest first
    rounds.sort(key=lambda r: (r.finished_at is not None, -pendulum.instance(r.started_at).timestamp()))
    for position, rnd in enumerate(rounds):
        zone = desk.profile.zone_named(rnd.zone)
        total = len(zone.checkpoints) if zone else len(rnd.checkpoints)
        state = "in progress" if rnd.finished_at is None else "done"
        issues = len(rnd.issues)
        row = Row(key=rnd.id, kind=rnd.kind, time=_hhmm(desk, rnd.started_at), students="",
                  time_long=_label(desk, rnd.started_at, False),
                  what=f"Patrol · {rnd.zone}", record=rnd, amended=rnd.amended, alert=issues > 0,
                  status=_status(f"{state} {len(rnd.checkpoints)}/{total}",
                                 f"{issues} issue{'s' * (issues != 1)}" if issues else "", amended=rnd.amended))
        if rnd.finished_at is None and position == 0:
            rows.insert(0, row)
        else:
            rows.append(row)
    return rows[:PAGE]


def contact_rows(desk: Desk, roster: dict | None = None) -> list[Row]:
    """Today's contact notes, then earlier notes whose follow-up is due (carried over)."""
    today = desk.clock.today()
    todays = desk.store.on_day(ContactNote, today)
    # a note goes into a handoff only when flagged for the coordinator: the others show as late only
    # when logged on a later day than their own (their day's screen is gone)
    late = [n for n in logged_late(desk, ContactNote, today)[-PAGE:][::-1]
            if n.for_coordinator or late_label(desk, n) == "logged late"]
    carried = _follow_ups_due(desk, ContactNote, today, skip={n.id for n in late})
    roster = names(desk, [n.student_id for n in todays + late + carried], roster)
    return [_contact_row(desk, note, how, roster, today) for note, how in _in_order(todays, late, carried)][:PAGE]


def _contact_row(desk: Desk, note: ContactNote, how: str, roster: dict, today: date) -> Row:
    """One contact note's row; ``how``: "today", "late" or "carried"."""
    is_carried = how == "carried"
    time = _late_time(desk, note.at) if how == "late" else _time(desk, note.at, is_carried)
    return Row(
        key=note.id, kind=note.kind, time=time, time_long=time if how == "late" else _label(desk, note.at, is_carried), record=note,
        students=student_label(note.student_id, roster),
        students_short=student_label(note.student_id, roster, short=True), what=f"{note.contact_kind.label} · {_short(note.note)}",
        status=_status(_follow_up(note.follow_up_date, today, note, desk.words),
                       "for coordinator" if note.for_coordinator else "",
                       late_label(desk, note) if how == "late" else "", amended=note.amended),
        carried=is_carried, amended=note.amended, late=how == "late",
    )


def _attendance_due(f: AttendanceFollowUp, today: date) -> bool:
    return f.status is FollowUpStatus.OPEN and (f.due_date or f.date) <= today


def attendance_rows(desk: Desk, roster: dict | None = None) -> list[Row]:
    """Today's attendance follow-ups, then earlier ones still open (carried over)."""
    today = desk.clock.today()
    todays = desk.store.select(AttendanceFollowUp, "date = ?", [str(today)], order_by="created_at DESC")
    carried = desk.store.select(AttendanceFollowUp, "date < ? AND status = ?", [str(today), FollowUpStatus.OPEN.value],
                                order_by="date DESC, created_at DESC", limit=PAGE)
    roster = names(desk, [f.student_id for f in todays + carried], roster)
    rows = []
    for f, is_carried in [(x, False) for x in todays] + [(x, True) for x in carried]:
        periods = f" {', '.join(f.periods)}" if f.periods else ""
        if f.status is not FollowUpStatus.OPEN:
            state = f.status.label.lower()
        elif f.due_date and f.due_date > today:
            state = f"open · due {_near_label(f.due_date, today, desk.words)}"
        elif (f.due_date or f.date) < today:
            state = f"overdue {_near_label(f.due_date or f.date, today, desk.words)}"
        else:
            state = "open · due today"
        when = f.created_at if (not is_carried and f.created_at) else f.date
        rows.append(Row(
            key=f.id, kind=f.kind, time=_time(desk, when, is_carried), time_long=_label(desk, when, is_carried), record=f,
            students=student_label(f.student_id, roster),
            students_short=student_label(f.student_id, roster, short=True), what=f"{f.attendance_kind.label}{periods}"
            + (f" · {_short(f.cause, 30)}" if f.cause else ""),
            status=_status(state, amended=f.amended), carried=is_carried, amended=f.amended,
            alert=is_carried and _attendance_due(f, today),
        ))
    return rows[:PAGE]


#: minutes before a meeting when its row turns red: time to go and collect the students
COLLECT_MINUTES = 15


def meetings_today(desk: Desk) -> list[Referral]:
    """Referrals with a meeting scheduled today (accepted, not voided), earliest first."""
    start, end = desk.clock.day_bounds()
    found = desk.store.select(Referral, "status = ? AND scheduled_for IS NOT NULL AND scheduled_for >= ? "
                              "AND scheduled_for < ?", [ReferralStatus.ACCEPTED.value, start.subtract(days=1).isoformat(),
                                                        end.add(days=1).isoformat()])
    # the stored text carries the school's offset: compare the moments themselves (a DST day is 23 or 25 h)
    found = [r for r in found if start <= r.scheduled_for < end]
    return sorted(found, key=lambda r: r.scheduled_for)


def _collect(desk: Desk, ref: Referral) -> tuple[str, bool]:
    """'from P3 · in 25 min' — which class to collect from (the bell period then) and how soon; red when due."""
    when = desk.clock.local(ref.scheduled_for)
    period = desk.clock.period_at(when)
    minutes = int((when - desk.clock.now()).total_seconds() // 60)
    if minutes < -60:
        soon = "earlier today"
    elif minutes < 0:
        soon = "started"
    elif minutes == 0:
        soon = "now"
    elif minutes < 120:
        soon = f"in {minutes} min"
    else:
        soon = f"at {when.format('HH:mm')}"
    return _status(f"from {period.name}" if period else "", soon), 0 <= minutes <= COLLECT_MINUTES


def meeting_rows(desk: Desk, roster: dict | None = None) -> list[Row]:
    """Today's meetings: who to collect (with their homeroom), from which class (the bell period), when, where."""
    meetings = meetings_today(desk)
    roster = names(desk, [s for r in meetings for s in r.students], roster)
    rows = []
    for ref in meetings:
        def who(sid: str, short: bool = False) -> str:  # the homeroom too: where to find them
            label = student_label(sid, roster, short=short)
            room = roster[sid].homeroom if sid in roster else None
            return f"{label} ({room})" if room else label
        status, due = _collect(desk, ref)
        rows.append(Row(
            key=f"meeting:{ref.id}", kind="meeting", time=_hhmm(desk, ref.scheduled_for),
            time_long=desk.clock.label(ref.scheduled_for), record=ref,
            students=_people([who(s) for s in ref.students]), students_short=_people([who(s, True) for s in ref.students]),
            what=f"Meeting · {ref.purpose.label}" + (f" · {ref.place}" if ref.place else ""),
            status=status, alert=due))
    return rows


def reply_note_rows(desk: Desk) -> list[Row]:
    """Today's notes from the coordinator (replies imported today that carry one)."""
    from ..store.schools import RECEIVED  # (not services.reply: signing and cryptography stay out of a start)

    start = desk.clock.day_bounds()[0]
    rows = []
    for r in (r for r in desk.store.replies(RECEIVED) if pendulum.parse(r.recorded_at) >= start):
        if r.note:
            rows.append(Row(key=f"reply:{r.id}", kind="reply_note", time=_hhmm(desk, pendulum.parse(r.recorded_at)),
                            students="—", what=f"Note from {r.coordinator_name or r.coordinator}: {' '.join(r.note.split())}",
                            status=f"reply {r.date} #{r.sequence}"))
    return rows


def referral_rows(desk: Desk, roster: dict | None = None) -> list[Row]:
    """Today's meetings (who to collect, from which class, when) and the coordinator's notes first; then
    today's referrals, then earlier ones not closed, or closed by the coordinator since the last handoff
    (carried over).
    A referral the coordinator has answered shows their word ("Accepted · conference Tue 10:15, Room 114") and
    their note for the advocate ('Accepted — “Bring the class list”')."""
    today = desk.clock.today()
    todays = desk.store.on_day(Referral, today)
    # a referral the coordinator closed or declined stays until the next handoff (which lists their word)
    last = desk.store.select(Handoff, "", order_by="signed_at DESC", limit=1)
    since = last[0].signed_at if last else desk.clock.day_bounds()[0]
    carried = desk.store.select(Referral, "day < ? AND (status != ? OR decided_at >= ?)",
                                [str(today), ReferralStatus.CLOSED.value,
                                 pendulum.instance(since).subtract(days=1).isoformat()], limit=PAGE)
    carried = [r for r in carried if r.status is not ReferralStatus.CLOSED or (r.decided_at and r.decided_at > since)]
    roster = names(desk, [s for r in todays + carried for s in r.students], roster)
    rows = meeting_rows(desk, roster) + reply_note_rows(desk)
    for ref, is_carried in [(r, False) for r in todays] + [(r, True) for r in carried]:
        urgency = "" if ref.urgency.value == "routine" or ref.status is ReferralStatus.CLOSED else ref.urgency.label.lower()
        state = word(desk.clock, ref, brief=True, note=True) if has_word(ref) else ref.status.label
        rows.append(Row(
            key=ref.id, kind=ref.kind, time=_time(desk, ref.referred_at, is_carried), time_long=_label(desk, ref.referred_at, is_carried), record=ref,
            students=_people([student_label(s, roster) for s in ref.students]),
            students_short=_people([student_label(s, roster, short=True) for s in ref.students]),
            what=f"{ref.purpose.label} → {ref.destination}",
            status=_status(state, urgency, amended=ref.amended), carried=is_carried,
            amended=ref.amended, alert=ref.urgency.value == "urgent" and ref.status is ReferralStatus.NEW,
        ))
    return rows[:PAGE]


# ------------------------------------------------------------------ header and the whole view
def counts(desk: Desk, doors: list[DoorState] | None = None, patrol: PatrolState | None = None) -> Counts:
    """Doors not yet checked this shift, patrol state, open referrals, attendance due today or overdue."""
    today = desk.clock.today()
    doors = door_states(desk) if doors is None else doors
    patrol = patrol_state(desk) if patrol is None else patrol
    open_refs = desk.store.db.execute(
        "SELECT count(*) FROM referrals WHERE voided = 0 AND status != ?", [ReferralStatus.CLOSED.value]
    ).fetchone()[0]
    to_hand_off = desk.store.db.execute(
        "SELECT count(*) FROM referrals WHERE voided = 0 AND status = ? AND day <= ?",
        [ReferralStatus.NEW.value, str(today)]).fetchone()[0]
    meetings = meetings_today(desk)
    att_due = desk.store.db.execute(
        "SELECT count(*) FROM attendance_followups WHERE voided = 0 AND status = ? AND coalesce(due_date, date) <= ?",
        [FollowUpStatus.OPEN.value, str(today)],
    ).fetchone()[0]
    off = desk.clock.day_off(today)
    from .processes import due_items  # (issue 12) what processes need today

    return Counts(
        doors_unchecked=0 if off else sum(not d.checked_this_shift for d in doors), doors_total=len(doors),
        door_exceptions=sum(d.is_exception for d in doors), patrol=patrol, open_referrals=open_refs,
        attendance_due=att_due, shift=current_shift(desk).name, referrals_to_hand_off=to_hand_off, day_off=off,
        meetings_today=len(meetings), next_meeting=next((_hhmm(desk, m.scheduled_for) for m in meetings
                                                         if m.scheduled_for >= desk.clock.now()), ""),
        processes_due=len(due_items(desk, today)),
        **_day_counts(desk),
    )


def _day_counts(desk: Desk) -> dict[str, int]:
    """The header's counts of the rest of the day (issue 14)."""
    from . import cico, peace_room

    return {"peace_room_in": peace_room.in_room_count(desk), "cico_to_check_in": cico.to_check_in_count(desk)}


def changes_seen(desk: Desk) -> int | None:
    """A number that changes when another desk (connection) saves to this database — poll it every
    few seconds and read the panes again when it changes. None when the database can't be asked
    (busy, closed): try again at the next poll."""
    try:
        return desk.store.data_version()
    except Exception:  # a locked or closing database: the next poll asks again
        return None


def pane_rows(desk: Desk, pane: str, roster: dict | None = None) -> list[Row]:
    """The rows of one pane by name (one of :data:`PANES`)."""
    loaders = {"incidents": incident_rows, "contacts": contact_rows, "attendance": attendance_rows,
               "referrals": referral_rows}
    if pane == "checklist":
        return checklist_rows(desk)
    return loaders[pane](desk, roster)


def new_row(desk: Desk, record: Record) -> tuple[str, Row] | None:
    """The pane and row of a record of today just saved, where one row more is all that changes on the
    screen: an incident or a contact note (neither moves a header count), not voided, of today.
    None for anything else (the pane must be read again)."""
    build = {Incident: ("incidents", _incident_row), ContactNote: ("contacts", _contact_row)}.get(type(record))
    today = desk.clock.today()
    if build is None or record.voided or desk.clock.local(record.when).date() != today:
        return None
    pane, row_of = build
    return pane, row_of(desk, record, "today", names(desk, record.student_ids()), today)


def load(desk: Desk) -> TodayView:
    """All five panes and the header counts, read in one pass."""
    roster: dict[str, Student] = {}
    doors, patrol = door_states(desk), patrol_state(desk)
    view = TodayView(day=desk.clock.today())
    view.panes = {
        "incidents": incident_rows(desk, roster),
        "checklist": checklist_rows(desk, doors, patrol),
        "contacts": contact_rows(desk, roster),
        "attendance": attendance_rows(desk, roster),
        "referrals": referral_rows(desk, roster),
    }
    view.counts = counts(desk, doors, patrol)
    return view


def student_history(desk: Desk, student_id: str) -> list[Row]:
    """Everything on file for one student (see :mod:`advocate_tui.services.student_history`)."""
    from .student_history import student_history as history

    return history(desk, student_id)
