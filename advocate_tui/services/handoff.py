"""The day's-end handoff to the coordinator: the referral queue and what else they should know (no Textual here).

:func:`review` gathers what a sign-off would hand over, kind by kind (each kind's
:class:`~.kinds.BundlePart` says what of it goes: the open referrals of today and older ones not yet
handed off, today's incidents, open attendance follow-ups, door and patrol exceptions, contact notes
flagged for the coordinator, the restorative processes changed since). Items already in an earlier
handoff of the day are left out, so a second handoff the same day holds only what is new since the first.

Whatever is saved after the last handoff for an earlier day is *logged late* (:mod:`.late`): it goes
into the next handoff, whatever its day, and the main screen shows it until then.

Records already handed off that were voided or amended since the last handoff that carried them are
"changes to earlier handoffs" (a part's ``again``): the next sign-off lists their ids again and the
bundle carries their current state, so the coordinator learns of the void or the correction.
:func:`void_warning` is the line a void form shows before voiding a record the coordinator already has.

:func:`sign_off` is ONE immediate transaction: the :class:`~advocate_tui.models.Handoff` record and the
change each kind makes to what it hands over (a referral becomes handed off, audit action HANDOFF) commit
together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from ..desk import Desk
from ..models import Handoff, Record, Student, describe
from ..store import handoffs as queries
from .kinds import bundle_parts, kind_of
from .referrals import answered_since_handoff, carried_over, changed_since_handoff, open_referrals
from .late import day_of, last_handoff, late_label, logged_late

__all__ = ["HandoffError", "HandoffReview", "review", "sign_off", "carried_over", "handoffs_on", "open_referrals",
           "changed_since_handoff", "void_warning", "last_handoff", "logged_late", "late_label",
           "answered_since_handoff"]


class HandoffError(Exception):
    """Why a handoff can't be signed; str() is one line a person can act on."""


@dataclass
class HandoffReview:
    """What a sign-off would hand to the coordinator now: each kind's list by its bundle section
    (``review.referrals``, ``review.incidents``…)."""

    day: date
    #: the number this handoff would get (1 for the day's first)
    sequence: int
    #: what each kind's part picked, by its bundle section
    picked: dict[str, list[Record]] = field(default_factory=dict)
    #: records of earlier handoffs voided or amended since (their current state goes again), by section
    again: dict[str, list[Record]] = field(default_factory=dict)
    #: what the coordinator answered (accepted, scheduled, declined, closed, a note) since the last handoff
    #: signed here, by section: the advocate reads their word before signing the next one
    answered_by: dict[str, list[Record]] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    #: earlier handoffs signed the same day
    earlier: list[Handoff] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        picked = self.__dict__.get("picked", {})
        if name in picked:
            return picked[name]
        raise AttributeError(name)

    @property
    def changes(self) -> list[Record]:
        """Every record of an earlier handoff carried again (voided or amended since)."""
        return [r for records in self.again.values() for r in records]

    @property
    def answered(self) -> list[Record]:
        """Everything the coordinator answered since the last handoff signed here."""
        return [r for records in self.answered_by.values() for r in records]

    def other_day(self, desk: Desk, moment: datetime) -> bool:
        """True for a moment of another day than the handoff's."""
        return desk.clock.local(moment).date() != self.day

    def when(self, desk: Desk, moment: datetime) -> str:
        """The bell period and time on the handoff's day ('P3 · 10:42'); on another day, its date too
        ('Fri 11/20 14:10'), so no line of another day reads as today's."""
        if self.other_day(desk, moment):
            return desk.words.date_time(desk.clock.local(moment), weekday=True)
        return desk.clock.label(moment)

    def is_carried_over(self, record: Record) -> bool:
        """True for a record made before the handoff's day and not yet handed off."""
        return day_of(record) < self.day

    def student_names(self, ids: Iterable[str]) -> str:
        """'Ana Garcia (S1001), Zo Okafor (S1003)' for a list of student numbers."""
        out = []
        for sid in ids:
            s = self.students.get(sid)
            out.append(f"{s.display_name} ({sid})" if s else sid)
        return ", ".join(out)

    @property
    def is_empty(self) -> bool:
        """True when nothing would go but the summary (what rides along alone, processes, does not count)."""
        return not (self.changes or any(self.picked.get(part.section) for _kind, part in bundle_parts() if part.alone))

    def counts(self) -> dict[str, int]:
        """How many items of each kind (for a one-line summary; no student data)."""
        return {**{section: len(records) for section, records in self.picked.items()}, "changes": len(self.changes)}


def handoffs_on(desk: Desk, day: date | str) -> list[Handoff]:
    """The handoffs signed on a school day, first first (voided ones left out)."""
    return queries.of_day(desk.store, day)


def void_warning(desk: Desk, record: Record) -> str | None:
    """The warning a void form shows for a record the coordinator already has (None otherwise)."""
    kind = kind_of(record)
    part = kind.bundle if kind is not None else None
    return part.void_warning(desk, record) if part is not None and part.void_warning is not None else None


def review(desk: Desk, *, day: date | None = None, students: bool = True) -> HandoffReview:
    """Everything the next sign-off of ``day`` (default today) would hold; ``students=False``: without the
    students' names (:attr:`HandoffReview.students` left empty: the sign-off needs only the records)."""
    store = desk.store
    day = day or desk.clock.today()
    earlier = queries.of_day(store, day, include_voided=True)
    sequence = max((h.sequence for h in earlier), default=0) + 1
    earlier = [h for h in earlier if not h.voided]
    rv = HandoffReview(day=day, sequence=sequence, earlier=earlier)
    for _kind, part in bundle_parts():
        rv.picked[part.section] = part.pick(desk, day, earlier)
        if part.again is not None:
            rv.again[part.section] = part.again(desk)
        if part.answered is not None:
            rv.answered_by[part.section] = part.answered(desk)
    if not students:
        return rv
    ids: list[str] = []
    for rec in (*(r for records in rv.picked.values() for r in records), *rv.changes, *rv.answered):
        ids.extend(rec.student_ids())
    rv.students = store.students_by_id(ids)
    return rv


def sign_off(desk: Desk, signed_by: str, summary: str = "", *, reviewed: Iterable[str] | None = None) -> Handoff:
    """Sign the handoff: one transaction holding the Handoff record and each kind's change to what it hands over.

    ``reviewed`` (what the advocate reviewed) limits the records a kind hands over with a change of theirs
    (the referrals) to those ids still open; by default every open one goes. Changes to earlier handoffs
    (voids, amendments) always go: their ids are listed again, their status and ``handoff_id`` stay as
    they are. A crash anywhere leaves all of it or none.
    Raises :class:`HandoffError` when there is no signer or nothing to hand over.
    """
    signed_by = (signed_by or "").strip()
    if not signed_by:
        raise HandoffError("sign with your name or initials")
    if len(signed_by) > 100:
        raise HandoffError("the signature is too long (at most 100 characters)")
    summary = (summary or "").strip()
    store = desk.store
    wanted = set(reviewed) if reviewed is not None else None
    with store.transaction():
        # Re-read inside the immediate transaction: another desk may have signed meanwhile.
        rv = review(desk, students=False)
        chosen = {}
        for _kind, part in bundle_parts():
            records = rv.picked[part.section]
            if part.hand_over is not None and wanted is not None:
                records = [r for r in records if r.id in wanted]
            chosen[part.section] = records
        handed = [r for _kind, part in bundle_parts() if part.hand_over is not None for r in chosen[part.section]]
        if not handed and rv.is_empty and not summary:
            if rv.earlier:
                last = rv.earlier[-1]
                raise HandoffError(f"nothing new to hand off since handoff {last.sequence} "
                                   f"at {desk.clock.label(last.signed_at)}")
            raise HandoffError("nothing to hand off yet")
        lists = {part.ids: [r.id for r in (*chosen[part.section], *rv.again.get(part.section, []))]
                 for _kind, part in bundle_parts()}
        try:
            record = Handoff(date=rv.day, sequence=rv.sequence, signed_by=signed_by, signed_at=desk.clock.now(),
                             summary=summary, **lists)
        except ValidationError as exc:
            raise HandoffError(describe(exc)) from None
        handoff = store.add(record)
        note = f"handoff {rv.day} #{rv.sequence} signed by {signed_by}"
        for _kind, part in bundle_parts():
            if part.hand_over is not None:
                part.hand_over(desk, handoff, chosen[part.section], note)
    return handoff
