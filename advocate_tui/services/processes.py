"""Restorative processes, step by step: start (from a referral, an incident, or a Tier 1 circle), assess
suitability, prepare each party, schedule and hold meetings, follow the agreement, tell the harmed
party, close. What is due on a day and the board's lists are in :mod:`.process_lists`, the programme's
figures in :mod:`.process_figures`.

Each step reads the process afresh inside one transaction and saves it as a change of status
(``Store.set_status``) with a note saying what was done, so its history reads as the work went and a
second desk's step is never lost. A mistake in what kind of process it is, or where it came from, is
an amendment; a process started in error is voided with a reason. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from ..desk import Desk
from ..models import Incident, Referral, StudentRole, describe
from ..models.enums import ReferralPurpose
from ..models.process import (
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
)
from ..store import StoreError
from ..store import processes as q
# services/today.py, student_history.py and stats.py (being edited by i12-kinds now) import these from here:
# import them from .process_lists and .process_figures when that lands
from .process_figures import figure_tables  # noqa: F401
from .process_lists import due_items, missing_for_meeting, process_row  # noqa: F401

__all__ = [
    "ProcessError", "NeedsReason", "start", "start_from_referral", "log_circle", "schedule_meeting", "hold_meeting",
    "add_item", "mark_item", "add_check_in", "mark_check_in", "add_party", "update_party", "add_preparation",
    "tell_harmed", "close",
]


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


