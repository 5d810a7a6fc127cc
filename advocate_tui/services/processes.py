"""Restorative processes, step by step: start (from a referral, an incident, or a Tier 1 circle), assess
suitability, prepare each party, schedule and hold meetings, follow the agreement, tell the harmed
party, close; what is due on a day; and the programme's figures.

Each step reads the process afresh inside one transaction and saves it as a change of status
(``Store.set_status``) with a note saying what was done, so its history reads as the work went and a
second desk's step is never lost. A mistake in what kind of process it is, or where it came from, is
an amendment; a process started in error is voided with a reason. No Textual here.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from ..desk import Desk
from ..models import Incident, Referral, StudentRole, describe
from ..models.enums import ReferralPurpose
from ..models.process import (
    Acknowledgment,
    AgreementItem,
    CheckIn,
    ClosingReason,
    ItemKind,
    ItemStatus,
    Meeting,
    Party,
    PartyRole,
    Preparation,
    Process,
    Questionnaire,
    Stage,
    Willingness,
)
from ..store import StoreError
from ..wording import words_of
from ..store import processes as q

__all__ = [
    "ProcessError", "NeedsReason", "DueItem", "Figures", "STAGES", "kind_name", "start", "start_from_referral",
    "log_circle", "missing_for_meeting", "schedule_meeting", "hold_meeting", "add_item", "mark_item", "add_check_in",
    "mark_check_in", "add_party", "update_party", "add_preparation", "tell_harmed", "close", "due_items", "board",
    "figures", "party_label", "student_processes", "referrals_awaiting", "next_step", "students_line", "process_row",
    "schools_of_processes",
]

#: the board's columns, in order
STAGES = tuple(Stage)
#: how long a closed process stays on the board
BOARD_CLOSED_DAYS = 14
#: the days after a meeting within which a new incident counts as repeated harm
REPEAT_WINDOWS = (30, 60, 90)

#: a referral's purpose -> the kind of process it starts (a profile without that kind: its first kind)
_KIND_OF_PURPOSE = {
    ReferralPurpose.CIRCLE: "harm_circle", ReferralPurpose.CONFERENCE: "conference",
    ReferralPurpose.MEDIATION: "peer_mediation", ReferralPurpose.REENTRY_MEETING: "reentry",
}
#: an incident's roles -> a party's role
_ROLE_OF_INCIDENT = {
    StudentRole.HARMED: PartyRole.HARMED, StudentRole.RESPONSIBLE: PartyRole.RESPONSIBLE,
    StudentRole.WITNESS: PartyRole.WITNESS, StudentRole.INVOLVED: PartyRole.BOTH,
}


class ProcessError(ValueError):
    """A step that can't be taken, in words for the person at the desk."""


class NeedsReason(ProcessError):
    """Holding a face-to-face meeting with something missing: the facilitator may, with a reason."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("before a face-to-face meeting: " + "; ".join(missing) + " — give a reason to hold it anyway")
        self.missing = missing


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

    found = schools_of(desk, Process.kind, [p.id for p in processes])
    if missing := [p for p in processes if p.id not in found and p.referral_id]:
        by_referral = schools_of(desk, Referral.kind, [p.referral_id for p in missing])
        found.update({p.id: by_referral[p.referral_id] for p in missing if p.referral_id in by_referral})
    return found


def _of_school(desk: Desk, processes: list[Process], school: str | None) -> list[Process]:
    if school is None:
        return processes
    found = schools_of_processes(desk, processes)
    return [p for p in processes if found.get(p.id) == school]


def due_items(desk: Desk, day: date | None = None, school: str | None = None) -> list[DueItem]:
    """What is due on ``day`` (default today): meetings that day first (by time), then items and check-ins,
    overdue ones first; in a coordinator's database ``school`` keeps one school's (None: every school's)."""
    day = day or desk.clock.today()
    out: list[DueItem] = []
    for p in _of_school(desk, q.processes_with_due(desk.store, day), school):
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
    for p in _of_school(desk, q.board_processes(desk.store, since), school):
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


# ------------------------------------------------------------------ saving
def _validated(process: Process, **changes: Any) -> Process:
    try:
        return Process.model_validate({**process.model_dump(), **changes})
    except ValidationError as exc:
        raise ProcessError(describe(exc)) from None


def _step(desk: Desk, process_id: str, note: str, change: Callable[[Process], dict[str, Any]]) -> Process:
    """Read the process, apply ``change`` (fields -> new values), save it as a change of status."""
    store = desk.store
    with store.transaction():
        current = store.get(Process, process_id)
        if current is None:
            raise ProcessError("no such process")
        if current.voided:
            raise ProcessError("this process was voided")
        updated = _validated(current, **change(current))
        try:
            return store.set_status(updated, note=note)
        except StoreError as exc:
            raise ProcessError(str(exc)) from None


def _open(process: Process) -> None:
    if process.closed_at is not None:
        raise ProcessError("this process is closed")


def _replaced(items: list, ref_id: str, what: str, **changes: Any) -> list:
    found = False
    out = []
    for x in items:
        if x.id == ref_id:
            found = True
            x = type(x).model_validate({**x.model_dump(), **changes})
        out.append(x)
    if not found:
        raise ProcessError(f"no such {what} in this process")
    return out


def start(desk: Desk, process_kind: str, parties: Iterable[Party] = (), *, referral_id: str | None = None,
          incident_id: str | None = None, facilitator: str = "", group_name: str = "", topic: str = "",
          started_at: datetime | None = None) -> Process:
    """Start a process of one of the profile's kinds (its tier from the profile)."""
    kind = desk.profile.processes.kind(process_kind)
    if kind is None:
        raise ProcessError(f"{process_kind!r} is not a kind of process of this school")
    try:
        process = Process(started_at=started_at or desk.clock.now(), process_kind=kind.key, tier=kind.tier,
                          referral_id=referral_id, incident_id=incident_id, facilitator=facilitator,
                          group_name=group_name, topic=topic, parties=list(parties))
    except ValidationError as exc:
        raise ProcessError(describe(exc)) from None
    try:
        return desk.store.add(process, note=f"started: {kind.name}")
    except StoreError as exc:
        raise ProcessError(str(exc)) from None


def start_from_referral(desk: Desk, referral_id: str, process_kind: str | None = None, *,
                        facilitator: str = "") -> Process:
    """Start the process a referral asks for: its students, with their roles from the referral's incident
    (harmed, responsible, witness; involved: harm on each side), the facilitator the coordinator named."""
    store = desk.store
    with store.transaction():
        referral = store.get(Referral, referral_id)
        if referral is None or referral.voided:
            raise ProcessError("no such referral")
        if q.process_of_referral(store, referral_id) is not None:
            raise ProcessError("this referral already has a process")
        roles: dict[str, PartyRole] = {}
        for entry in getattr(referral, "roles", None) or []:  # a referral that keeps its students' roles
            sid, role = (entry.student_id, entry.role) if hasattr(entry, "student_id") else entry
            roles[sid] = _ROLE_OF_INCIDENT.get(StudentRole(getattr(role, "value", role)), PartyRole.BOTH)
        incident = store.get(Incident, referral.incident_id) if referral.incident_id else None
        if incident is not None:
            for s in incident.students:
                roles.setdefault(s.student_id, _ROLE_OF_INCIDENT[s.role])
        parties = [Party(student_id=sid, role=roles.get(sid, PartyRole.BOTH)) for sid in referral.students]
        key = process_kind or _KIND_OF_PURPOSE.get(referral.purpose)
        if key is None or desk.profile.processes.kind(key) is None:
            key = desk.profile.processes.kinds[0].key
        process = start(desk, key, parties, referral_id=referral.id, incident_id=referral.incident_id,
                        facilitator=facilitator or referral.facilitator or "")
        # a coordinator's database: the process is the referral's school's (its report, its reply)
        if (school := store.record_schools("referral", [referral.id]).get(referral.id)) is not None:
            store.set_record_school(Process.kind, process.id, school, None)
        return process


def log_circle(desk: Desk, *, group_name: str, topic: str = "", facilitator: str = "", participants: int | None = None,
               at: datetime | None = None, process_kind: str = "class_circle") -> Process:
    """A Tier 1 circle, held: the class, topic, facilitator and how many took part (no names needed)."""
    if not group_name.strip():
        raise ProcessError("say which class or group")
    at = at or desk.clock.now()
    store = desk.store
    with store.transaction():
        process = start(desk, process_kind, facilitator=facilitator, group_name=group_name, topic=topic, started_at=at)
        meeting = Meeting(at=at, held=True, participants=participants,
                          facilitators=[facilitator] if facilitator.strip() else [])
        return _step(desk, process.id, "circle held", lambda p: {
            "meetings": [meeting], "closed_at": at, "closing_reason": ClosingReason.HELD})


def add_party(desk: Desk, process_id: str, party: Party) -> Process:
    """Add a student or an adult to the process."""
    def change(p: Process) -> dict[str, Any]:
        _open(p)
        return {"parties": [*p.parties, party]}
    return _step(desk, process_id, f"party added: {party.role.label.lower()}", change)


#: what ``update_party`` may change
PARTY_FIELDS = frozenset({"role", "acknowledges", "willing", "consents_to_share", "wishes", "safety_concern",
                          "keep_apart", "safety_resolved", "questionnaire", "name", "relation"})


def update_party(desk: Desk, process_id: str, party_id: str, **changes: Any) -> Process:
    """Record what a party said or needs: acknowledgment, willingness, consent to share, wishes, a safety
    concern (or keep-apart) and whether it is resolved, their questionnaire."""
    if unknown := set(changes) - PARTY_FIELDS:
        raise ProcessError(f"a party has no {', '.join(sorted(unknown))}")
    if isinstance(changes.get("questionnaire"), dict):
        changes["questionnaire"] = Questionnaire.model_validate(changes["questionnaire"])

    def change(p: Process) -> dict[str, Any]:
        try:
            return {"parties": _replaced(p.parties, party_id, "party", **changes)}
        except ValidationError as exc:
            raise ProcessError(describe(exc)) from None
    return _step(desk, process_id, "party: " + ", ".join(k.replace("_", " ") for k in sorted(changes)), change)


def add_preparation(desk: Desk, process_id: str, party_id: str, *, on: date | None = None, by: str = "",
                    note: str = "") -> Process:
    """A preparation meeting with a party (date, by whom, a note)."""
    prep = Preparation(on=on or desk.clock.today(), by=by or desk.user, note=note)

    def change(p: Process) -> dict[str, Any]:
        _open(p)
        party = p.party(party_id)
        if party is None:
            raise ProcessError("no such party in this process")
        return {"parties": _replaced(p.parties, party_id, "party", preparation=[*party.preparation, prep])}
    return _step(desk, process_id, "preparation", change)


def schedule_meeting(desk: Desk, process_id: str, at: datetime, *, place: str = "",
                     facilitators: list[str] | None = None, attended: list[str] | None = None) -> Process:
    """Plan a meeting (circle, conference, mediation) for a time and place."""
    def change(p: Process) -> dict[str, Any]:
        _open(p)
        meeting = Meeting(at=at, place=place, facilitators=facilitators or ([p.facilitator] if p.facilitator else []),
                          attended=attended or [])
        return {"meetings": [*p.meetings, meeting]}
    return _step(desk, process_id, "meeting scheduled", change)


def hold_meeting(desk: Desk, process_id: str, *, meeting_id: str | None = None, at: datetime | None = None,
                 attended: list[str] | None = None, minutes: int | None = None, agreement_reached: bool = False,
                 reason: str = "", note: str = "", participants: int | None = None) -> Process:
    """Record a meeting as held (a planned one, or one not planned before). With something missing for a
    face-to-face meeting (:func:`missing_for_meeting`) it needs ``reason``, which is kept with the meeting
    (:class:`NeedsReason` otherwise). The kind's check-ins (re-entry: 2 and 4 weeks) are added from the
    first meeting held."""
    current = desk.store.get(Process, process_id)
    if current is None:
        raise ProcessError("no such process")
    missing = missing_for_meeting(desk, current)
    if missing and not reason.strip():
        raise NeedsReason(missing)

    def change(p: Process) -> dict[str, Any]:
        _open(p)
        if (now_missing := missing_for_meeting(desk, p)) and not reason.strip():  # another desk changed it meanwhile
            raise NeedsReason(now_missing)
        fields = dict(held=True, attended=attended if attended is not None else [x.id for x in p.parties],
                      minutes=minutes, agreement_reached=agreement_reached, participants=participants,
                      unsuitable_reason=reason.strip() if missing or now_missing else "", note=note)
        if meeting_id:
            meetings = _replaced(p.meetings, meeting_id, "meeting", **fields, **({"at": at} if at else {}))
        else:
            meetings = [*p.meetings, Meeting(at=at or desk.clock.now(), **fields,
                                             facilitators=[p.facilitator] if p.facilitator else [])]
        out: dict[str, Any] = {"meetings": meetings}
        kind = desk.profile.processes.kind(p.process_kind)
        if kind and kind.check_in_days and not p.check_ins:
            held_on = desk.clock.local(min(m.at for m in meetings if m.held)).date()
            out["check_ins"] = [CheckIn(due=held_on + timedelta(days=n)) for n in kind.check_in_days]
        return out
    return _step(desk, process_id, "meeting held" + (f" without: {'; '.join(missing)}" if missing else ""), change)


def add_item(desk: Desk, process_id: str, *, what: str, owner: str, due: date, item_kind: ItemKind = ItemKind.ACTION,
             partner: str = "", site: str = "", risk_assessed_on: date | None = None,
             hours: float | None = None) -> Process:
    """An agreement item: what will be done, by which party, by when (reparation: partner, site, risk
    assessment, hours)."""
    try:
        item = AgreementItem(what=what, owner=owner, due=due, item_kind=item_kind, partner=partner, site=site,
                             risk_assessed_on=risk_assessed_on, hours=hours)
    except ValidationError as exc:
        raise ProcessError(describe(exc)) from None

    def change(p: Process) -> dict[str, Any]:
        _open(p)
        return {"items": [*p.items, item]}
    return _step(desk, process_id, "agreement item added", change)


def mark_item(desk: Desk, process_id: str, item_id: str, status: ItemStatus, *, at: datetime | None = None) -> Process:
    """An item done, not done, waived (or open again), checked by this desk's user now."""
    when = at or desk.clock.now()
    checked = {"checked_at": None, "checked_by": ""} if status is ItemStatus.OPEN else {
        "checked_at": when, "checked_by": desk.user}

    def change(p: Process) -> dict[str, Any]:
        _open(p)
        return {"items": _replaced(p.items, item_id, "item", status=status, **checked)}
    return _step(desk, process_id, f"item {status.label.lower()}", change)


def add_check_in(desk: Desk, process_id: str, due: date) -> Process:
    """A follow-up check-in due on a day."""
    def change(p: Process) -> dict[str, Any]:
        _open(p)
        return {"check_ins": [*p.check_ins, CheckIn(due=due)]}
    return _step(desk, process_id, "check-in planned", change)


def mark_check_in(desk: Desk, process_id: str, check_in_id: str, *, note: str = "", at: datetime | None = None) -> Process:
    """A check-in done (now, by this desk's user)."""
    def change(p: Process) -> dict[str, Any]:
        return {"check_ins": _replaced(p.check_ins, check_in_id, "check-in", done_at=at or desk.clock.now(),
                                       by=desk.user, note=note)}
    return _step(desk, process_id, "check-in done", change)


def tell_harmed(desk: Desk, process_id: str, *, completed: bool, how: str, at: datetime | None = None) -> Process:
    """The harmed party was told that the agreement was (or was not) completed: when and how."""
    if not how.strip():
        raise ProcessError("say how they were told (in person, by phone...)")

    def change(p: Process) -> dict[str, Any]:
        if not any(x.role.harmed for x in p.parties):
            raise ProcessError("this process has no harmed party")
        return {"harmed_told_at": at or desk.clock.now(), "harmed_told_how": how, "harmed_told_completed": completed}
    return _step(desk, process_id, "harmed party told", change)


def close(desk: Desk, process_id: str, reason: ClosingReason, note: str = "", *, at: datetime | None = None) -> Process:
    """Close with a reason (open agreement items stay as they are: close says how it ended)."""
    def change(p: Process) -> dict[str, Any]:
        _open(p)
        return {"closed_at": at or desk.clock.now(), "closing_reason": reason, "closing_note": note}
    return _step(desk, process_id, f"closed: {reason.label}", change)


# ------------------------------------------------------------------ the programme's figures
@dataclass
class Figures:
    """What the programme learns from its processes over a range of days (exact counts; the report
    suppresses small ones)."""

    processes: int = 0
    by_kind: Counter = field(default_factory=Counter)
    by_tier: Counter = field(default_factory=Counter)
    by_stage: Counter = field(default_factory=Counter)
    referrals: int = 0
    referrals_to_meeting: int = 0
    #: days from each such referral to its first meeting held
    days_to_meeting: list[int] = field(default_factory=list)
    agreements_ended: int = 0           #: agreements with no item left open
    agreements_on_time: int = 0         #: ... every item (not waived) done by its due date
    #: responsible students after a held meeting whose window has passed, per window (days)
    repeat_basis: dict[int, int] = field(default_factory=dict)
    repeat_harm: dict[int, int] = field(default_factory=dict)
    #: questionnaire answers: each score's list; would take part again (yes, answered)
    scores: dict[str, list[int]] = field(default_factory=lambda: {"felt_heard": [], "fair": [], "repaired": []})
    again_yes: int = 0
    again_answered: int = 0
    harmed_processes: int = 0           #: closed processes with a harmed party and an agreement
    harmed_told: int = 0

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_meeting) if self.days_to_meeting else None

    def average(self, score: str) -> float | None:
        values = self.scores[score]
        return round(sum(values) / len(values), 2) if values else None


def figures(desk: Desk, start: date, end: date, school: str | None = None) -> Figures:
    """The figures of processes started (and referrals made) on the days ``start``..``end``; in a
    coordinator's database ``school`` (a short name) counts that school's only (None: every school)."""
    store, f = desk.store, Figures()
    local = desk.clock.local
    today = desk.clock.today()
    processes = _of_school(desk, q.processes_between(store, start, end), school)
    f.processes = len(processes)
    for p in processes:
        f.by_kind[kind_name(desk, p.process_kind)] += 1
        f.by_tier[p.tier] += 1
        f.by_stage[p.stage] += 1
        if p.items and not any(i.status is ItemStatus.OPEN for i in p.items):
            f.agreements_ended += 1
            if all(i.status is ItemStatus.WAIVED or (i.status is ItemStatus.DONE and not i.done_late) for i in p.items):
                f.agreements_on_time += 1
        first = p.first_meeting
        if first is not None:
            met = local(first.at).date()
            for party in p.parties:
                if party.student_id and party.role.responsible:
                    for window in REPEAT_WINDOWS:
                        if met + timedelta(days=window) <= today:
                            f.repeat_basis[window] = f.repeat_basis.get(window, 0) + 1
                            if q.harm_days(store, party.student_id, met, met + timedelta(days=window)):
                                f.repeat_harm[window] = f.repeat_harm.get(window, 0) + 1
        for party in p.parties:
            if party.questionnaire:
                for score in f.scores:
                    if (value := getattr(party.questionnaire, score)) is not None:
                        f.scores[score].append(value)
                if party.questionnaire.again is not None:
                    f.again_answered += 1
                    f.again_yes += party.questionnaire.again
        if p.closed_at is not None and p.items and any(x.role.harmed for x in p.parties):
            f.harmed_processes += 1
            f.harmed_told += p.harmed_told_at is not None
    referrals = q.referral_times_between(store, start, end)
    if school is not None:
        theirs = store.record_schools(Referral.kind, [rid for rid, _at in referrals])
        referrals = [(rid, at) for rid, at in referrals if theirs.get(rid) == school]
    f.referrals = len(referrals)
    by_referral = {p.referral_id: p for p in processes if p.referral_id}
    missing = [rid for rid, _at in referrals if rid not in by_referral]
    for rid in q.referrals_with_process(store, missing):  # a referral's process started after the range
        if (p := q.process_of_referral(store, rid)) is not None:
            by_referral[rid] = p
    for rid, referred_at in referrals:
        p = by_referral.get(rid)
        if p is not None and p.first_meeting is not None:
            f.referrals_to_meeting += 1
            f.days_to_meeting.append((local(p.first_meeting.at).date() - local(referred_at).date()).days)
    return f


# ------------------------------------------------------------------ for the board
def referrals_awaiting(desk: Desk) -> list[Referral]:
    """Open referrals (not closed, not voided) with no process yet, oldest first."""
    from ..models import ReferralStatus

    refs = desk.store.select(Referral, "status != ?", [ReferralStatus.CLOSED.value], order_by="referred_at")
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


# ------------------------------------------------------------------ the figures as the data screen's tables
#: the averages table's median row (the issue's "median days from referral to meeting")
MEDIAN_DAYS = "Days from referral to first meeting (median)"
#: the outcomes table's rows that count some of another row (part -> whole): each pair is suppressed on
#: its own (the rows are different measures, not the parts of one total)
OUTCOME_PARTS = {
    "Referrals that became a meeting": "Referrals made",
    "Agreements completed on time": "Agreements followed to their end",
    "Harmed parties told the outcome": "Harmed parties to tell (closed, with an agreement)",
    "... of them yes": "Questionnaires answered 'would take part again'",
    **{f"... in a new incident within {w} days (repeat harm)": f"Responsible students {w} days past a meeting"
       for w in REPEAT_WINDOWS},
}


def figure_tables(desk: Desk, start: date, end: date, school: str | None = None) -> list:
    """The figures of :func:`figures` as the data screen's and the report's tables (no student named):
    processes by kind, tier and stage; what came of them (counts, suppressed under 5 in the report);
    and the averages (each over the answers or meetings behind it, shown only where there are 5 or more:
    ``days`` holds how many, ``basis`` the sum, so a district adds schools' up before dividing)."""
    from .stats import StatTable

    f = figures(desk, start, end, school)
    tiers = [(f"Tier {t} ({name})", f.by_tier.get(t, 0)) for t, name in ((1, "relate"), (2, "repair"), (3, "restore"))
             if f.by_tier.get(t)]
    outcomes = [
        ("Referrals made", f.referrals), ("Referrals that became a meeting", f.referrals_to_meeting),
        ("Agreements followed to their end", f.agreements_ended), ("Agreements completed on time", f.agreements_on_time),
        ("Harmed parties to tell (closed, with an agreement)", f.harmed_processes),
        ("Harmed parties told the outcome", f.harmed_told),
    ]
    outcomes += [("Questionnaires answered 'would take part again'", f.again_answered),
                 ("... of them yes", f.again_yes)]
    for window in REPEAT_WINDOWS:
        outcomes += [(f"Responsible students {window} days past a meeting", f.repeat_basis.get(window, 0)),
                     (f"... in a new incident within {window} days (repeat harm)", f.repeat_harm.get(window, 0))]
    averages: list[tuple[str, float]] = []
    basis: dict[str, int] = {}
    days: dict[str, int] = {}

    def add(label: str, values: list[int]) -> None:
        if values:
            averages.append((label, round(sum(values) / len(values), 2)))
            basis[label], days[label] = sum(values), len(values)
    if f.median_days is not None:  # the measure; a median has no sum, so it is not in ``basis`` (nor
        averages.append((MEDIAN_DAYS, f.median_days))  # the district's JSON) and hides under 5 meetings
        days[MEDIAN_DAYS] = len(f.days_to_meeting)
    add("Days from referral to first meeting (mean)", f.days_to_meeting)
    add("Felt heard (1–5)", f.scores["felt_heard"])
    add("The process was fair (1–5)", f.scores["fair"])
    add("The harm was repaired (1–5)", f.scores["repaired"])
    return [
        StatTable("proc_kind", "Restorative processes by kind", sorted(f.by_kind.items(), key=lambda kv: -kv[1]), "kind"),
        StatTable("proc_tier", "Restorative processes by tier", tiers, "tier", ordered=True),
        StatTable("proc_stage", "Restorative processes by stage",
                  [(s.label, f.by_stage[s]) for s in STAGES if f.by_stage.get(s)], "stage", ordered=True),
        StatTable("proc_outcomes", "What came of restorative processes", outcomes, "measure", ordered=True,
                  parts=OUTCOME_PARTS),
        StatTable("proc_averages", "Restorative processes: averages", averages, "measure",
                  basis=basis, days=days, value="average", ordered=True, suppress_by_days=True),
    ]
