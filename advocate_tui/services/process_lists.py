"""Restorative processes as the screens list them: the board by stage, what is due on a day, a student's processes,
the referrals still waiting for one, and each process's words (its kind's name, a party's label, its students, its
next step, a student page's row); in a coordinator's database, of one school or every school (each process's
school)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..desk import Desk
from ..models.process_words import Acknowledgment, ItemStatus, PartyRole, Stage, Willingness
from ..wording import words_of
from ..store import processes as q
from ..models.kinds import PROCESS, REFERRAL

if TYPE_CHECKING:
    from ..models.process import AgreementItem, Party, Process
    from ..models.referral import Referral


#: the board's columns, in order
STAGES = tuple(Stage)
#: how long a closed process stays on the board
BOARD_CLOSED_DAYS = 14
# ------------------------------------------------------------------ reading


def kind_name(desk: Desk, key: str) -> str:
    """The profile's name of a kind of process (the key itself for a kind the profile no longer has)."""
    kind = desk.profile.processes.kind(key)
    return kind.name if kind else key.replace("_", " ").capitalize()


def party_label(desk: Desk, party: Party, roster: dict | None = None) -> str:
    """A party as a person reads it: a student's preferred or given name and family name, or an adult's
    name and relation."""
    if party.student_id:
        student = (roster or {}).get(party.student_id) or desk.store.student(party.student_id)
        if student is None:
            return party.student_id
        return f"{student.preferred_name or student.given_name} {student.family_name}"
    return f"{party.name} ({party.relation.label.lower()})" if party.relation else str(party.name)


def missing_for_meeting(desk: Desk, process: Process) -> list[str]:
    """What is missing before a face-to-face meeting: each responsible party's acknowledgment, each side's
    willingness, no unresolved safety concern ([] when nothing is, or the process is indirect)."""
    if process.indirect:
        return []
    out: list[str] = []
    sides = [p for p in process.parties if p.role.harmed or p.role.responsible]
    if process.tier >= 2:
        if not any(p.role.harmed for p in sides):
            out.append("no harmed party")
        if not any(p.role.responsible for p in sides):
            out.append("no responsible party")
    for p in process.parties:
        who = party_label(desk, p)
        if p.role.responsible:
            if p.acknowledges is None:
                out.append(f"{who}: not yet asked whether they acknowledge the harm")
            elif p.acknowledges is Acknowledgment.NO:
                out.append(f"{who} does not acknowledge the harm")
            elif p.acknowledges is Acknowledgment.PARTLY:
                out.append(f"{who} acknowledges the harm only partly")
        if p in sides and p.willing is not Willingness.YES:
            out.append(f"{who} is {'not willing' if p.willing is Willingness.NO else 'not yet willing'} to take part")
        if p.unresolved_safety:
            out.append(f"{who}: {'keep apart' if p.keep_apart else 'safety concern'} not resolved")
    return out


@dataclass(frozen=True)
class DueItem:
    """Something due from a process on a day: an agreement item, a check-in, or a meeting that day."""

    what: str                       #: "item", "check_in" or "meeting"
    process_id: str
    ref_id: str                     #: the item's, check-in's or meeting's id
    text: str                       #: what will be done / the kind of process
    due: date
    overdue: bool
    when: datetime | None = None    #: a meeting's time
    student_ids: tuple[str, ...] = ()
    owner: str = ""                 #: who owns the item (a party's label)
    place: str = ""


def schools_of_processes(desk: Desk, processes: list[Process]) -> dict[str, str]:
    """The school (short name) of each process: where its handoff came from, or its referral's school (a
    process the coordinator started before schools were recorded); a school's own database: its own."""
    from .schools import schools_of

    found = schools_of(desk, PROCESS.kind, [p.id for p in processes])
    if missing := [p for p in processes if p.id not in found and p.referral_id]:
        by_referral = schools_of(desk, REFERRAL.kind, [p.referral_id for p in missing])
        found.update({p.id: by_referral[p.referral_id] for p in missing if p.referral_id in by_referral})
    return found


def of_school(desk: Desk, processes: list[Process], school: str | None) -> list[Process]:
    """The processes of ``school`` (None: all of them)."""
    if school is None:
        return processes
    found = schools_of_processes(desk, processes)
    return [p for p in processes if found.get(p.id) == school]


def due_items(desk: Desk, day: date | None = None, school: str | None = None) -> list[DueItem]:
    """What is due on ``day`` (default today): meetings that day first (by time), then items and check-ins,
    overdue ones first; in a coordinator's database ``school`` keeps one school's (None: every school's)."""
    day = day or desk.clock.today()
    out: list[DueItem] = []
    for p in of_school(desk, q.processes_with_due(desk.store, day), school):
        students = tuple(p.student_ids())
        for m in p.planned_meetings:
            if desk.clock.local(m.at).date() == day:
                out.append(DueItem("meeting", p.id, m.id, kind_name(desk, p.process_kind), day, False, m.at,
                                   tuple(x.student_id for x in p.students if not m.attended or x.id in m.attended),
                                   place=m.place))
        for item in p.items:
            if item.status is ItemStatus.OPEN and item.due <= day:
                owner = p.party(item.owner)
                out.append(DueItem("item", p.id, item.id, item.what, item.due, item.due < day,
                                   student_ids=(owner.student_id,) if owner and owner.student_id else students,
                                   owner=party_label(desk, owner) if owner else ""))
        for c in p.check_ins:
            if c.done_at is None and c.due <= day:
                out.append(DueItem("check_in", p.id, c.id, f"check-in: {kind_name(desk, p.process_kind)}", c.due,
                                   c.due < day, student_ids=students))
    return sorted(out, key=lambda d: (0, d.when.timestamp(), "") if d.when else (1, d.due.toordinal(), d.text))


def board(desk: Desk, school: str | None = None) -> dict[Stage, list[Process]]:
    """The coordinator's caseload by stage (closed: the last two weeks'); in a coordinator's database
    ``school`` keeps one school's processes (None: every school's)."""
    since = desk.clock.today() - timedelta(days=BOARD_CLOSED_DAYS)
    out: dict[Stage, list[Process]] = {s: [] for s in STAGES}
    for p in of_school(desk, q.board_processes(desk.store, since), school):
        out[p.stage].append(p)
    return out


def student_processes(desk: Desk, student_id: str) -> list[tuple[Process, PartyRole, list[AgreementItem]]]:
    """Every process the student is in, with their role and their open agreement items, newest first."""
    out = []
    for p in q.processes_of_student(desk.store, student_id):
        party = next(x for x in p.parties if x.student_id == student_id)
        items = [i for i in p.items if i.owner == party.id and i.status is ItemStatus.OPEN]
        out.append((p, party.role, items))
    return out


# ------------------------------------------------------------------ for the board


def referrals_awaiting(desk: Desk) -> list[Referral]:
    """Open referrals (not closed, not voided) with no process yet, oldest first."""
    from ..models import ReferralStatus

    refs = desk.store.select(REFERRAL, "status != ?", [ReferralStatus.CLOSED.value], order_by="referred_at")
    started = q.referrals_with_process(desk.store, [r.id for r in refs])
    return [r for r in refs if r.id not in started]


def next_step(desk: Desk, process: Process) -> str:
    """What the process waits for, in a few words ("3 missing for a meeting", "meeting Tue 11:00",
    "2 items open, next due Fri")."""
    stage = process.stage
    if stage is Stage.CLOSED:
        return process.closing_reason.label if process.closing_reason else "closed"
    if stage is Stage.SCHEDULED:
        m = process.planned_meetings[0]
        return f"meeting {words_of(desk.profile).date_time(desk.clock.local(m.at), weekday=True)}" + (f", {m.place}" if m.place else "")
    if stage is Stage.FOLLOWING:
        open_items = sorted((i for i in process.items if i.status is ItemStatus.OPEN), key=lambda i: i.due)
        if open_items:
            late = sum(1 for i in open_items if i.due < desk.clock.today())
            return (f"{len(open_items)} item{'s' * (len(open_items) != 1)} open, next due "
                    f"{words_of(desk.profile).day(open_items[0].due)}" + (f" ({late} overdue)" if late else ""))
        harmed = any(p.role.harmed for p in process.parties)
        return "tell the harmed party, then close" if harmed and process.harmed_told_at is None else "close"
    missing = missing_for_meeting(desk, process)
    return f"{len(missing)} missing for a meeting" if missing else "ready to schedule"


def students_line(desk: Desk, process: Process, roster: dict | None = None) -> str:
    """The parties who are students, each with their role ("Ana Garcia (responsible), Zo Okafor (harmed)");
    a Tier 1 circle: its class and how many took part."""
    if not process.parties:
        held = process.first_meeting
        count = f", {held.participants} took part" if held and held.participants is not None else ""
        return f"{process.group_name or 'circle'}{count}"
    return ", ".join(f"{party_label(desk, p, roster)} ({p.role.label.split(' (')[0].lower()})" for p in process.parties
                     if p.student_id) or ", ".join(party_label(desk, p) for p in process.parties)


def process_row(desk: Desk, process: Process, student_id: str) -> tuple[str, str, str]:
    """A process on a student's page: (what: the kind and the student's open agreement items, status:
    its stage, their role)."""
    party = next((p for p in process.parties if p.student_id == student_id), None)
    role = party.role.label.split(" (")[0].lower() if party else ""
    items = [i for i in process.items if party and i.owner == party.id and i.status is ItemStatus.OPEN]
    what = kind_name(desk, process.process_kind)
    if items:
        today = desk.clock.today()
        what += " — open: " + "; ".join(f"{i.what} (due {words_of(desk.profile).date(i.due)}{', overdue' if i.due < today else ''})"
                                        for i in sorted(items, key=lambda i: i.due))
    return what, process.stage.label, role
