"""The end-of-shift report: the day as it was logged, built without typing, printable as Markdown.

Incidents; door checks and patrol rounds with their exceptions; hall sweeps; Peace Room visits; CICO
check-ins and check-outs; contacts; follow-ups left open; and a handover note for whoever is on the desk
tomorrow (what is due, who is still in the Peace Room, the CICO students to check in, standing door
exceptions, with the summary the advocate signed the handoff with). Text from a person is escaped in the
Markdown (:func:`~.bundle_text.md_text`). No Textual here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..desk import Desk
from ..models import (
    AttendanceFollowUp,
    ContactNote,
    DoorCheck,
    FollowUpStatus,
    Handoff,
    Incident,
    Level,
    PatrolRound,
    Student,
)
from ..models.cico import CicoDay
from ..models.peace_room import PeaceRoomVisit
from ..models.sweep import Sweep
from ..store import cico as cico_queries
from ..store import peace_room as room_queries
from ..store import sweeps as sweep_queries
from . import peace_room
from .bundle_text import md_rows, md_table, md_text
from .text_fit import counted
from .checklist import door_status
from .rows import names, student_label


@dataclass
class ShiftReport:
    """What one school day held, for the report (every list oldest first)."""

    school: str
    day: dt.date
    prepared_at: dt.datetime
    incidents: list[Incident] = field(default_factory=list)
    door_checks: list[DoorCheck] = field(default_factory=list)
    patrol_rounds: list[PatrolRound] = field(default_factory=list)
    sweeps: list[Sweep] = field(default_factory=list)
    visits: list[PeaceRoomVisit] = field(default_factory=list)
    cards: list[CicoDay] = field(default_factory=list)
    contacts: list[ContactNote] = field(default_factory=list)
    open_attendance: list[AttendanceFollowUp] = field(default_factory=list)
    open_follow_ups: list[Incident | ContactNote] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    in_room_now: list[PeaceRoomVisit] = field(default_factory=list)
    standing_doors: list[str] = field(default_factory=list)
    cico_expected: list[str] = field(default_factory=list)
    next_day: dt.date | None = None
    roster: dict[str, Student] = field(default_factory=dict)

    @property
    def door_exceptions(self) -> list[DoorCheck]:
        return [d for d in self.door_checks if d.is_exception]

    @property
    def patrol_issues(self) -> int:
        return sum(len(p.issues) for p in self.patrol_rounds)

    @property
    def counts(self) -> dict[str, int]:
        """The report's figures by section (the header line and the tests read these)."""
        return {
            "incidents": len(self.incidents), "door_checks": len(self.door_checks),
            "door_exceptions": len(self.door_exceptions), "patrol_rounds": len(self.patrol_rounds),
            "patrol_issues": self.patrol_issues, "sweeps": len(self.sweeps),
            "students_swept": sum(len(s.students) for s in self.sweeps), "peace_room_visits": len(self.visits),
            "cico_check_ins": sum(1 for c in self.cards if c.checked_in_at is not None),
            "cico_check_outs": sum(1 for c in self.cards if c.checked_out_at is not None),
            "contacts": len(self.contacts), "open_follow_ups": len(self.open_attendance) + len(self.open_follow_ups),
        }


def build(desk: Desk, day: dt.date | None = None) -> ShiftReport:
    """The report of ``day`` (default today) from what is on file."""
    store = desk.store
    day = day or desk.clock.today()
    next_day = desk.profile.calendar.shift(day, 1)
    follow_ups: list[Incident | ContactNote] = []
    for cls in (Incident, ContactNote):  # due up to the next school day and not ended, however old
        follow_ups += store.select(cls, "follow_up_date IS NOT NULL AND follow_up_date <= ? AND follow_up_end IS NULL",  # type: ignore[arg-type]
                                   [next_day.isoformat()], order_by="follow_up_date")
    report = ShiftReport(
        school=desk.profile.school.name, day=day, prepared_at=desk.clock.now(),
        incidents=sorted(store.on_day(Incident, day), key=lambda r: r.occurred_at),
        door_checks=sorted(store.on_day(DoorCheck, day), key=lambda r: r.checked_at),
        patrol_rounds=sorted(store.on_day(PatrolRound, day), key=lambda r: r.started_at),
        sweeps=sweep_queries.sweeps_between(store, day, day),
        visits=room_queries.visits_between(store, day, day),
        cards=sorted(cico_queries.cards_on(store, day), key=lambda c: c.checked_in_at or c.checked_out_at or
                     desk.clock.now()),
        contacts=sorted(store.on_day(ContactNote, day), key=lambda r: r.at),
        open_attendance=store.select(AttendanceFollowUp, "status = ?", [FollowUpStatus.OPEN.value], order_by="date"),
        open_follow_ups=follow_ups,
        handoffs=sorted(store.select(Handoff, "date = ?", [day.isoformat()]), key=lambda h: h.sequence),
        in_room_now=room_queries.in_room(store),
        standing_doors=[f"{d.door}: {d.exception.status.label}" for d in door_status(desk) if d.exception],
        next_day=next_day,
    )
    report.cico_expected = [e.student_id for e in cico_queries.active_enrolments(store)]
    ids = {sid for r in (*report.incidents, *report.sweeps, *report.visits, *report.cards, *report.contacts,
                         *report.open_attendance, *report.open_follow_ups, *report.in_room_now) for sid in r.student_ids()}
    report.roster = names(desk, sorted(ids | set(report.cico_expected)))
    return report


# ------------------------------------------------------------------ Markdown
def markdown(desk: Desk, report: ShiftReport, *, narrow: bool = False) -> str:
    """The report as Markdown (headings, tables; person-typed text escaped); ``narrow`` (a screen under
    ~120 columns, where a table of six or more columns cuts every cell) has each table as a list instead."""
    hhmm = lambda t: desk.clock.local(t).format("HH:mm") if t else ""  # noqa: E731
    who = lambda ids: ", ".join(student_label(i, report.roster) for i in ids)  # noqa: E731
    n = report.counts
    words = desk.words  # headers and dates in the school's own words and date order

    def _table(header: list[str], rows: list[list[object]]) -> list[str]:
        return (md_rows if narrow else md_table)(header, rows, words)

    out = [f"# End-of-shift report — {md_text(report.school)} — {words.full_date(report.day)}", "",
           f"Prepared {words.stamp(desk.clock.local(report.prepared_at))}: {counted(n['incidents'], 'incident')}, "
           f"{counted(n['sweeps'], 'sweep')} ({words.count(n['students_swept'])}), "
           f"{counted(n['peace_room_visits'], 'Peace Room visit')}, "
           f"{counted(n['cico_check_ins'], 'CICO check-in')} and {counted(n['cico_check_outs'], 'check-out')}, "
           f"{counted(n['contacts'], 'contact')}.", ""]

    out += [f"## Incidents ({n['incidents']})", ""]
    out += _table(["When", "Level", "Where", "Behavior", "Students", "Actions"],
                  [[hhmm(i.occurred_at), i.level.label, i.location, i.behavior, who(i.student_ids()),
                    ", ".join(a.label for a in i.actions)]
                   for i in sorted(report.incidents, key=lambda i: (i.level is not Level.MAJOR, i.occurred_at))]
                  ) if report.incidents else ["None.", ""]

    out += [f"## Doors and patrol ({n['door_checks']} door checks, {n['door_exceptions']} exceptions; "
            f"{n['patrol_rounds']} rounds, {n['patrol_issues']} issues)", ""]
    exceptions = [[hhmm(d.checked_at), f"Door: {d.door}", d.status.label, d.note] for d in report.door_exceptions]
    for p in report.patrol_rounds:
        exceptions += [[hhmm(c.reached_at), f"Patrol {p.zone}: {c.checkpoint}", c.status.label, c.note]
                       for c in p.issues]
    rounds = [f"{md_text(p.zone)} {hhmm(p.started_at)}–{hhmm(p.finished_at) or 'not finished'} "
              f"({len(p.checkpoints)} checkpoints)" for p in report.patrol_rounds]
    out += ["Rounds: " + "; ".join(rounds) + ".", ""] if rounds else []
    out += _table(["When", "Where", "Found", "Note"], sorted(exceptions)) if exceptions else ["No exceptions.", ""]

    out += [f"## Hall sweeps ({n['sweeps']}; {words.count(n['students_swept'])})", ""]
    out += _table(["When", "Where", "Students", "Pass", "Sent to", "Note"],
                  [[hhmm(s.met_at), s.place, who(s.student_ids()),
                    "; ".join(f"{x.pass_from or '?'} → {x.pass_to or '?'}" if x.has_pass else "none" for x in s.students),
                    ", ".join(sorted({x.sent_to for x in s.students})), s.note] for s in report.sweeps]
                  ) if report.sweeps else ["None.", ""]

    out += [f"## Peace Room ({counted(n['peace_room_visits'], 'visit')})", ""]
    if report.visits:
        out += _table(["In", "Out", "Student", "Sent by", "Why", "Back to class", "Minutes out of class"],
                      [[hhmm(v.time_in), hhmm(v.time_out) or "still in", who([v.student_id]), v.sent_by, v.reason,
                        "—" if v.returned_to_class is None else ("yes" if v.returned_to_class else f"no: {v.went_to}"),
                        peace_room.minutes_out(desk, v)] for v in report.visits])
        out += [f"Minutes out of class in all: {sum(peace_room.minutes_out(desk, v) for v in report.visits)}.", ""]
    else:
        out += ["None.", ""]

    out += [f"## Check-In/Check-Out ({counted(n['cico_check_ins'], 'check-in')}, {counted(n['cico_check_outs'], 'check-out')})", ""]
    out += _table(["Student", "Day", "In", "Card", "Out", "Points", "Goal", "Signed", "Comment"],
                  [[who([c.student_id]), c.status.label, hhmm(c.checked_in_at),
                    "—" if c.has_card is None else ("yes" if c.has_card else "no"), hhmm(c.checked_out_at),
                    f"{c.percent:.0f}%" if c.percent is not None else "—", f"{c.goal_percent}%",
                    "—" if c.parent_signed is None else ("yes" if c.parent_signed else "no"), c.comment]
                   for c in report.cards]) if report.cards else ["None.", ""]

    out += [f"## Contacts ({n['contacts']})", ""]
    out += _table(["When", "Student", "Kind", "Note"],
                  [[hhmm(c.at), who([c.student_id]), c.contact_kind.label, c.note] for c in report.contacts]
                  ) if report.contacts else ["None.", ""]

    out += [f"## Follow-ups left open ({n['open_follow_ups']})", ""]
    rows = [[words.full_date(a.due_date or a.date), who([a.student_id]),
             f"Attendance: {a.attendance_kind.label}", a.cause or a.note] for a in report.open_attendance]
    rows += [[words.full_date(r.follow_up_date) if r.follow_up_date else "", who(r.student_ids()),
              "Incident" if isinstance(r, Incident) else "Contact",
              r.behavior if isinstance(r, Incident) else r.note] for r in report.open_follow_ups]
    out += _table(["Due", "Students", "What", "Note"], rows) if rows else ["None.", ""]

    out += ["## Handover for tomorrow's desk", ""]
    if report.next_day:
        out += [f"Next school day: {words.full_date(report.next_day)}.", ""]
    notes = []
    if report.in_room_now:
        notes.append("Still in the Peace Room: " + md_text(who([v.student_id for v in report.in_room_now])) + ".")
    if report.standing_doors:
        notes.append("Door exceptions standing: " + "; ".join(md_text(d) for d in report.standing_doors) + ".")
    if report.cico_expected:
        notes.append(f"CICO check-ins ({len(report.cico_expected)}): " + md_text(who(report.cico_expected)) + ".")
    due = [r for r in report.open_follow_ups if r.follow_up_date and report.next_day
           and r.follow_up_date <= report.next_day]
    if due:
        notes.append(f"Follow-ups due: {len(due)}.")
    for line in notes:  # paragraphs, not a list: the handoff's Markdown has no lists
        out += [line, ""]
    if not notes:
        out += ["Nothing carried over.", ""]
    for h in report.handoffs:
        if h.summary:
            out += [f"Handoff {h.sequence}, signed by {md_text(h.signed_by)}:", "",
                    *[f"> {md_text(line)}" if line.strip() else ">" for line in h.summary.splitlines()], ""]
    return "\n".join(out)


def cut_to(markdown_text: str, limit: int) -> str:
    """``markdown_text`` whole when it has at most ``limit`` characters; else cut at a line's end before the
    limit, with a last line saying so (the day's records themselves are whole in the bundle)."""
    if len(markdown_text) <= limit:
        return markdown_text
    note = ("\n\n*The report is cut here: the day was longer than a bundle's report can hold "
            f"({len(markdown_text):,} characters). Every record of the day is in the bundle itself.*\n")
    head = markdown_text[:max(limit - len(note), 0)]
    return head[:head.rfind("\n") + 1 or len(head)] + note


def text(desk: Desk, day: dt.date | None = None, *, narrow: bool = False) -> str:
    """The Markdown of ``day``'s report (default today); ``narrow``: tables as lists."""
    return markdown(desk, build(desk, day), narrow=narrow)


__all__ = ["ShiftReport", "build", "cut_to", "markdown", "text"]
