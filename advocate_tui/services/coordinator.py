"""The coordinator's side of handed-off referrals: the queue, accept, assign, schedule, close.

Every change goes through ``store.set_status`` so each step is kept in the referral's history.
"""

from __future__ import annotations

from datetime import datetime

from ..desk import Desk
from ..models import Handoff, Referral, ReferralOutcome, ReferralStatus, Student
from ..store import StoreError

__all__ = ["CoordinatorError", "handoff_label", "queue", "students_of", "age_days", "accept", "assign", "schedule", "close",
           "schedule_warning"]

_ACTIVE = (ReferralStatus.HANDED_OFF.value, ReferralStatus.ACCEPTED.value)


class CoordinatorError(Exception):
    """A change the coordinator can't make; str() is one line."""


def queue(desk: Desk, *, include_closed: bool = False) -> list[Referral]:
    """Handed-off and accepted referrals (closed too if asked): urgent first, then oldest first.

    Referrals the advocate voided after handing them off are listed last, as voided (with the reason).
    """
    states = list(_ACTIVE) + ([ReferralStatus.CLOSED.value] if include_closed else [])
    marks = ",".join("?" * len(states))
    refs = desk.store.select(Referral, f"status IN ({marks})", states, include_voided=True)
    if not include_closed:  # a void seen once stays listed (as voided, with its reason) until closed are hidden
        refs = [r for r in refs if not (r.voided and r.status is ReferralStatus.CLOSED)]
    return sorted(refs, key=lambda r: (r.status is ReferralStatus.CLOSED or r.voided, r.urgency.rank, r.referred_at))


def students_of(desk: Desk, referrals: list[Referral]) -> dict[str, Student]:
    """The students the referrals name, by student number."""
    return desk.store.students_by_id([s for r in referrals for s in r.students])


def handoff_label(desk: Desk, referral: Referral) -> str:
    """Which handoff brought the referral: 'handoff 2026-11-23 #1 · J. Rivera 15:52 · 1a2b3c4d'.

    Two desks may both sign a "#1" on the same day; the signer, time and short id tell them apart.
    """
    if not referral.handoff_id:
        return ""
    h = desk.store.get(Handoff, referral.handoff_id)
    if h is None:
        return f"handoff {referral.handoff_id[:8]}"
    return (f"handoff {h.date} #{h.sequence} · {h.signed_by} "
            f"{desk.clock.local(h.signed_at).format('HH:mm')} · {h.id[:8]}")


def age_days(desk: Desk, referral: Referral) -> int:
    """Whole school days since the referral was made."""
    made = desk.clock.local(referral.referred_at).date()
    return (desk.clock.today() - made).days


def _current(desk: Desk, referral_id: str) -> Referral:
    ref = desk.store.get(Referral, referral_id)
    if ref is None:
        raise CoordinatorError("that referral is no longer on file")
    if ref.voided:
        raise CoordinatorError(f"the advocate voided that referral: {ref.void_reason}")
    if ref.status is ReferralStatus.CLOSED:
        raise CoordinatorError("that referral is already closed")
    if ref.status is ReferralStatus.NEW:
        raise CoordinatorError("that referral has not been handed off yet")
    return ref


def _save(desk: Desk, ref: Referral, note: str, **changes) -> Referral:
    try:
        return desk.store.set_status(ref.model_copy(update=changes), note=note)
    except StoreError as exc:
        raise CoordinatorError(str(exc)) from None


def accept(desk: Desk, referral_id: str) -> Referral:
    """Accept a handed-off referral."""
    ref = _current(desk, referral_id)
    if ref.status is ReferralStatus.ACCEPTED:
        raise CoordinatorError("that referral is already accepted")
    return _save(desk, ref, "accepted", status=ReferralStatus.ACCEPTED, accepted_at=desk.clock.now())


def assign(desk: Desk, referral_id: str, facilitator: str) -> Referral:
    """Assign a facilitator (accepting the referral if it was not yet)."""
    name = (facilitator or "").strip()
    if not name:
        raise CoordinatorError("type the facilitator's name")
    if len(name) > 200:
        raise CoordinatorError("the facilitator's name is too long")
    ref = _current(desk, referral_id)
    extra = {} if ref.status is ReferralStatus.ACCEPTED else {
        "status": ReferralStatus.ACCEPTED, "accepted_at": desk.clock.now()}
    return _save(desk, ref, f"facilitator: {name}", facilitator=name, **extra)


def schedule(desk: Desk, referral_id: str, when: datetime) -> Referral:
    """Schedule the meeting (accepting the referral if it was not yet)."""
    ref = _current(desk, referral_id)
    local = desk.clock.local(when)
    extra = {} if ref.status is ReferralStatus.ACCEPTED else {
        "status": ReferralStatus.ACCEPTED, "accepted_at": desk.clock.now()}
    return _save(desk, ref, f"scheduled for {local.format('YYYY-MM-DD HH:mm')}", scheduled_for=local, **extra)


def schedule_warning(desk: Desk, when: datetime | None) -> str | None:
    """'Saturday 11/28 — school is closed (weekend).' for a meeting on a day without school by the
    profile's calendar (a weekend, a holiday or break; saved anyway); None otherwise."""
    if when is None:
        return None
    local = desk.clock.local(when)
    off = desk.clock.day_off(local.date())
    if off is None and desk.clock.calendar is None and local.isoweekday() in (6, 7):
        off = "weekend"
    if off is not None:
        return f"{desk.words.long_day(local, padded=True)} — school is closed ({off})."
    return None


def close(desk: Desk, referral_id: str, outcome: ReferralOutcome, note: str = "") -> Referral:
    """Close a referral with an outcome (and an optional note)."""
    ref = _current(desk, referral_id)
    outcome = ReferralOutcome(outcome)
    return _save(desk, ref, f"closed: {outcome.label}", status=ReferralStatus.CLOSED, outcome=outcome,
                 outcome_note=(note or "").strip(), closed_at=desk.clock.now())
