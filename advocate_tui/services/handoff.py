"""The day's-end handoff of the referral queue to the coordinator (no Textual here).

:func:`review` gathers what a sign-off would hand over: the open referrals of today and older ones
not yet handed off (carried over), and what the coordinator should also know — today's incidents
(major first), open attendance follow-ups, door and patrol exceptions and contact notes flagged for
the coordinator. Items already in an earlier handoff are left out, so a second handoff the same day
holds only what is new since the first.

Whatever is saved after the last handoff for an earlier day (an incident logged the next morning
with When = yesterday 14:10, or saved after the day's sign-off) is *logged late* (:func:`logged_late`):
it goes into the next handoff, whatever its day, and the main screen shows it until then.

Referrals already handed off that were voided or amended since the last handoff that carried them
are "changes to earlier handoffs" (:func:`changed_since_handoff`): the next sign-off lists their ids
again (their ``handoff_id`` stays the first handoff's) and the bundle carries their current state,
so the coordinator learns of the void or the correction. :func:`void_warning` is the line a void
form shows before voiding a referral the coordinator already has.

:func:`sign_off` is ONE immediate transaction: the :class:`~advocate_tui.models.Handoff` record and
every referral's change to "handed off" (audit action HANDOFF) commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pendulum
from pydantic import ValidationError

from ..desk import Desk
from .late import day_of, last_handoff, late_label, logged_late
from ..models import (
    AttendanceFollowUp,
    AuditAction,
    ContactNote,
    DoorCheck,
    FollowUpStatus,
    Handoff,
    Incident,
    Level,
    PatrolRound,
    Record,
    Referral,
    ReferralStatus,
    Student,
    describe,
)

R = TypeVar("R", bound=Record)

__all__ = ["HandoffError", "HandoffReview", "review", "sign_off", "carried_over", "handoffs_on", "open_referrals",
           "changed_since_handoff", "void_warning", "last_handoff", "logged_late", "late_label",
           "answered_since_handoff"]


class HandoffError(Exception):
    """Why a handoff can't be signed; str() is one line a person can act on."""


@dataclass
class HandoffReview:
    """What a sign-off would hand to the coordinator now."""

    day: date
    #: the number this handoff would get (1 for the day's first)
    sequence: int
    referrals: list[Referral] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    attendance: list[AttendanceFollowUp] = field(default_factory=list)
    door_checks: list[DoorCheck] = field(default_factory=list)
    patrol_rounds: list[PatrolRound] = field(default_factory=list)
    contact_notes: list[ContactNote] = field(default_factory=list)
    students: dict[str, Student] = field(default_factory=dict)
    #: earlier handoffs signed the same day
    earlier: list[Handoff] = field(default_factory=list)
    #: referrals of earlier handoffs voided or amended since (their current state goes again)
    changes: list[Referral] = field(default_factory=list)
    #: referrals the coordinator answered (accepted, scheduled, declined, closed, a note) since the last
    #: handoff signed here: the advocate reads their word before signing the next one
    answered: list[Referral] = field(default_factory=list)

    def is_carried_over(self, referral: Referral) -> bool:
        """True for a referral made before today and not yet handed off."""
        return _day(referral) < self.day

    def student_names(self, ids: Iterable[str]) -> str:
        """'Ana Garcia (S1001), Zo Okafor (S1003)' for a list of student numbers."""
        out = []
        for sid in ids:
            s = self.students.get(sid)
            out.append(f"{s.display_name} ({sid})" if s else sid)
        return ", ".join(out)

    @property
    def is_empty(self) -> bool:
        return not (self.referrals or self.changes or self.incidents or self.attendance or self.door_checks
                    or self.patrol_rounds or self.contact_notes)

    def counts(self) -> dict[str, int]:
        """How many items of each kind (for a one-line summary; no student data)."""
        return {"referrals": len(self.referrals), "changes": len(self.changes), "incidents": len(self.incidents),
                "attendance": len(self.attendance), "door_checks": len(self.door_checks),
                "patrol_rounds": len(self.patrol_rounds), "contact_notes": len(self.contact_notes)}


_day = day_of


def _urgency_then_age(r: Referral) -> tuple:
    return (r.urgency.rank, r.referred_at)


def handoffs_on(desk: Desk, day: date | str) -> list[Handoff]:
    """The handoffs signed on a school day, first first (voided ones left out)."""
    return desk.store.select(Handoff, "date = ?", [str(day)], order_by="sequence")


def open_referrals(desk: Desk, day: date | None = None) -> list[Referral]:
    """Referrals not yet handed off, made on or before ``day`` (default today), urgent first, oldest first."""
    day = day or desk.clock.today()
    refs = desk.store.select(Referral, "status = ? AND day <= ?", [ReferralStatus.NEW.value, str(day)])
    return sorted(refs, key=_urgency_then_age)


def carried_over(desk: Desk) -> list[Referral]:
    """Open referrals from earlier days that were never handed off (what shows next morning)."""
    today = desk.clock.today()
    return [r for r in open_referrals(desk, today) if _day(r) < today]


_CHANGE_ACTIONS = (AuditAction.VOID, AuditAction.AMEND)


def changed_since_handoff(desk: Desk) -> list[Referral]:
    """Referrals already handed off, voided or amended after the last handoff that carried them.

    Compared by audit sequence (not by clock), so a change and a sign-off in the same second still
    order correctly.
    """
    store = desk.store
    out: list[Referral] = []
    candidates = store.select(Referral, "status != ? AND handoff_id IS NOT NULL AND (voided = 1 OR amended = 1)",
                              [ReferralStatus.NEW.value], order_by="referred_at", include_voided=True)
    for ref in candidates:
        history = store.history(ref.id)
        changed = max((e.seq or 0 for e in history if e.action in _CHANGE_ACTIONS), default=0)
        carried = max((e.seq or 0 for e in history if e.action is AuditAction.HANDOFF), default=0)
        if changed <= carried:
            continue
        later = store.select(Handoff, "EXISTS (SELECT 1 FROM json_each(handoffs.referral_ids) AS j WHERE j.value = ?)",
                             [ref.id], order_by="signed_at")
        for h in later:
            created = [e.seq or 0 for e in store.history(h.id) if e.action in (AuditAction.CREATE, AuditAction.IMPORT)]
            carried = max(carried, *created) if created else carried
        if changed > carried:
            out.append(ref)
    return sorted(out, key=_urgency_then_age)


def answered_since_handoff(desk: Desk) -> list[Referral]:
    """Referrals whose coordinator's word (a decision, a schedule, a note) came after the last handoff
    signed at this database (every answered referral before the first), urgent first."""
    last = desk.store.select(Handoff, "", order_by="signed_at DESC", limit=1)
    since = last[0].signed_at if last else None
    # the stored text carries the school's offset: narrow by text a day early (the index), then compare moments
    rough = pendulum.instance(since).subtract(days=1).isoformat() if since else ""
    found = desk.store.select(Referral, "decided_at IS NOT NULL AND decided_at >= ?", [rough], order_by="decided_at")
    return sorted([r for r in found if since is None or r.decided_at > since], key=_urgency_then_age)


def void_warning(desk: Desk, record) -> str | None:
    """The warning a void form shows for a record the coordinator already has (None otherwise)."""
    if not isinstance(record, Referral) or record.voided or record.status is ReferralStatus.NEW:
        return None
    where = "an earlier handoff"
    if record.handoff_id and (h := desk.store.get(Handoff, record.handoff_id)) is not None:
        where = f"handoff {h.date} #{h.sequence} ({h.signed_by})"
    return (f"The coordinator already has this referral from {where}: the void reaches them "
            "with your next handoff, as a change to an earlier handoff.")


def review(desk: Desk, *, day: date | None = None) -> HandoffReview:
    """Everything the next sign-off of ``day`` (default today) would hold."""
    store = desk.store
    day = day or desk.clock.today()
    earlier = store.select(Handoff, "date = ?", [str(day)], order_by="sequence", include_voided=True)
    sequence = max((h.sequence for h in earlier), default=0) + 1
    earlier = [h for h in earlier if not h.voided]
    seen: set[str] = set()
    for h in earlier:
        seen.update(h.incident_ids, h.attendance_ids, h.door_check_ids, h.patrol_round_ids, h.contact_note_ids)

    incidents = [i for i in store.on_day(Incident, day) if i.id not in seen]
    incidents.sort(key=lambda i: (i.level is not Level.MAJOR, i.occurred_at))
    # saved after the last handoff for an earlier day: in no handoff yet, so in this one
    incidents += [i for i in logged_late(desk, Incident, day) if i.id not in seen]
    attendance = [a for a in store.select(AttendanceFollowUp, "status = ? AND day <= ?",
                                          [FollowUpStatus.OPEN.value, str(day)], order_by="date, id")
                  if a.id not in seen]
    doors = [d for d in store.on_day(DoorCheck, day) + logged_late(desk, DoorCheck, day)
             if d.is_exception and d.id not in seen]
    doors.sort(key=lambda d: d.checked_at)
    rounds = [p for p in store.on_day(PatrolRound, day) + logged_late(desk, PatrolRound, day)
              if p.issues and p.id not in seen]
    rounds.sort(key=lambda p: p.started_at)
    # flagged notes never handed over: the ids already in a handoff stay in SQL (a decade holds thousands)
    notes = store.select(ContactNote, "for_coordinator = 1 AND day <= ? AND id NOT IN (SELECT j.value FROM "
                         "handoffs, json_each(handoffs.contact_note_ids) AS j WHERE contact_note_ids != '[]')",
                         [str(day)], order_by="at")
    rv = HandoffReview(day=day, sequence=sequence, referrals=open_referrals(desk, day), incidents=incidents,
                       attendance=attendance, door_checks=doors, patrol_rounds=rounds, contact_notes=notes,
                       earlier=earlier, changes=changed_since_handoff(desk), answered=answered_since_handoff(desk))
    ids: list[str] = []
    for rec in (*rv.referrals, *rv.changes, *rv.answered, *rv.incidents, *rv.attendance, *rv.contact_notes):
        ids.extend(rec.student_ids())
    rv.students = store.students_by_id(ids)
    return rv


def sign_off(desk: Desk, signed_by: str, summary: str = "", *,
             referral_ids: Iterable[str] | None = None) -> Handoff:
    """Sign the handoff: one transaction holding the Handoff record and every referral's status change.

    ``referral_ids`` (what the advocate reviewed) limits the referrals handed over to those ids still
    open; by default every open referral goes. Changes to earlier handoffs (voids, amendments)
    always go: their ids are listed again, their status and ``handoff_id`` stay as they are. A crash anywhere leaves all of it or none.
    Raises :class:`HandoffError` when there is no signer or nothing to hand over.
    """
    signed_by = (signed_by or "").strip()
    if not signed_by:
        raise HandoffError("sign with your name or initials")
    if len(signed_by) > 100:
        raise HandoffError("the signature is too long (at most 100 characters)")
    summary = (summary or "").strip()
    store = desk.store
    wanted = set(referral_ids) if referral_ids is not None else None
    with store.transaction():
        # Re-read inside the immediate transaction: another desk may have signed meanwhile.
        rv = review(desk)
        refs = [r for r in rv.referrals if wanted is None or r.id in wanted]
        if not refs and rv.is_empty and not summary:
            if rv.earlier:
                last = rv.earlier[-1]
                raise HandoffError(f"nothing new to hand off since handoff {last.sequence} "
                                   f"at {desk.clock.label(last.signed_at)}")
            raise HandoffError("nothing to hand off yet")
        now = desk.clock.now()
        from ..store.processes import processes_changed_since  # (issue 12) processes go to the coordinator too

        process_ids = processes_changed_since(store, rv.earlier[-1].signed_at.isoformat() if rv.earlier else None)
        try:
            record = Handoff(
                date=rv.day, sequence=rv.sequence, signed_by=signed_by, signed_at=now, summary=summary,
                referral_ids=[r.id for r in (*refs, *rv.changes)], incident_ids=[i.id for i in rv.incidents],
                attendance_ids=[a.id for a in rv.attendance], contact_note_ids=[n.id for n in rv.contact_notes],
                door_check_ids=[d.id for d in rv.door_checks], patrol_round_ids=[p.id for p in rv.patrol_rounds],
                process_ids=process_ids,
            )
        except ValidationError as exc:
            raise HandoffError(describe(exc)) from None
        handoff = store.add(record)
        note = f"handoff {rv.day} #{rv.sequence} signed by {signed_by}"
        for ref in refs:
            store.set_status(ref.model_copy(update={
                "status": ReferralStatus.HANDED_OFF, "handoff_id": handoff.id, "handed_off_at": now,
            }), note=note, action=AuditAction.HANDOFF)
    return handoff
