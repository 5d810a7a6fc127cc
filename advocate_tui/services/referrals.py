"""The referral queue between the advocate's handoffs and the coordinator (no Textual here).

What the next handoff hands over (:func:`open_referrals`, urgent first, oldest first), what was left
from earlier days (:func:`carried_over`), referrals already handed off and voided or amended since
(:func:`changed_since_handoff`: their current state goes again), the coordinator's word since the last
handoff (:func:`answered_since_handoff`), the change a sign-off makes (:func:`hand_over`), the warning
before voiding a referral the coordinator has (:func:`void_warning`), and how a coordinator's database
takes a referral it already has (:func:`merge`: the coordinator's work is never set back).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..desk import Desk
from ..models import AuditAction, ReferralStatus
from ..store import handoffs as handoff_queries
from ..store import referrals as queries
from .late import day_of
from ..models.kinds import HANDOFF

if TYPE_CHECKING:
    from ..models.handoff import Handoff
    from ..models.referral import Referral

__all__ = ["open_referrals", "carried_over", "changed_since_handoff", "answered_since_handoff", "hand_over",
           "void_warning", "merge", "COORDINATOR_FIELDS"]


def _urgency_then_age(r: Referral) -> tuple:
    return (r.urgency.rank, r.referred_at)


def open_referrals(desk: Desk, day: date | None = None) -> list[Referral]:
    """Referrals not yet handed off, made on or before ``day`` (default today), urgent first, oldest first."""
    return sorted(queries.new_by(desk.store, day or desk.clock.today()), key=_urgency_then_age)


def carried_over(desk: Desk) -> list[Referral]:
    """Open referrals from earlier days that were never handed off (what shows next morning)."""
    today = desk.clock.today()
    return [r for r in open_referrals(desk, today) if day_of(r) < today]


_CHANGE_ACTIONS = (AuditAction.VOID, AuditAction.AMEND)


def changed_since_handoff(desk: Desk) -> list[Referral]:
    """Referrals already handed off, voided or amended after the last handoff that carried them.

    Compared by audit sequence (not by clock), so a change and a sign-off in the same second still
    order correctly.
    """
    store = desk.store
    out: list[Referral] = []
    for ref in queries.changed_after_handoff(store):
        history = store.history(ref.id)
        changed = max((e.seq or 0 for e in history if e.action in _CHANGE_ACTIONS), default=0)
        carried = max((e.seq or 0 for e in history if e.action is AuditAction.HANDOFF), default=0)
        if changed <= carried:
            continue
        for h in handoff_queries.carrying(store, "referral_ids", ref.id):
            created = [e.seq or 0 for e in store.history(h.id) if e.action in (AuditAction.CREATE, AuditAction.IMPORT)]
            carried = max(carried, *created) if created else carried
        if changed > carried:
            out.append(ref)
    return sorted(out, key=_urgency_then_age)


def answered_since_handoff(desk: Desk) -> list[Referral]:
    """Referrals whose coordinator's word (a decision, a schedule, a note) came after the last handoff
    signed at this database (every answered referral before the first), urgent first."""
    last = handoff_queries.latest_signed(desk.store)
    return sorted(queries.decided_since(desk.store, last.signed_at if last else None), key=_urgency_then_age)


def hand_over(desk: Desk, handoff: Handoff, referrals: list[Referral], note: str) -> None:
    """Each referral handed over becomes "handed off" by this handoff (audit action HANDOFF)."""
    for ref in referrals:
        desk.store.set_status(ref.model_copy(update={
            "status": ReferralStatus.HANDED_OFF, "handoff_id": handoff.id, "handed_off_at": handoff.signed_at,
        }), note=note, action=AuditAction.HANDOFF)


def void_warning(desk: Desk, record: Referral) -> str | None:
    """The warning a void form shows for a referral the coordinator already has (None otherwise)."""
    if record.voided or record.status is ReferralStatus.NEW:
        return None
    where = "an earlier handoff"
    if record.handoff_id and (h := desk.store.get(HANDOFF, record.handoff_id)) is not None:
        where = f"handoff {h.date} #{h.sequence} ({h.signed_by})"
    return (f"The coordinator already has this referral from {where}: the void reaches them "
            "with your next handoff, as a change to an earlier handoff.")


#: A referral the coordinator has taken further is never set back by a bundle.
_COORDINATOR_STATES = {ReferralStatus.ACCEPTED, ReferralStatus.CLOSED}
#: Fields of a referral that are the coordinator's own work: a bundle never sets them back.
COORDINATOR_FIELDS = ("status", "accepted_at", "closed_at", "facilitator", "scheduled_for", "place", "outcome",
                      "outcome_note", "coordinator_note", "decided_at")


def _carried_at(desk: Desk, referral_id: str, skip: str) -> tuple | None:
    """(signed_at, sequence) of the latest handoff already here that carried the referral (not ``skip``)."""
    here = handoff_queries.carrying(desk.store, "referral_ids", referral_id, skip=skip)
    return max(((h.signed_at, h.sequence) for h in here), default=None)


def merge(desk: Desk, handoff: Handoff, current: Referral, incoming: Referral, note: str) -> bool:
    """Apply the advocate's newer state (a void, an amendment) without undoing the coordinator's work;
    True when the referral changed here, False when it is kept as it is.

    Newer means: the bundle's handoff was signed after every other handoff here that carried the
    referral. An older bundle changes nothing; a void is final.
    """
    last = _carried_at(desk, current.id, handoff.id)
    if current.voided or (last is not None and (handoff.signed_at, handoff.sequence) <= last):
        return False
    merged = incoming
    if current.status in _COORDINATOR_STATES or incoming.status is ReferralStatus.NEW:
        merged = incoming.model_copy(update={f: getattr(current, f) for f in COORDINATOR_FIELDS})
    if _same(current, merged):
        return False
    what = "void" if merged.voided else ("amendment" if merged.amended else "update")
    desk.store.import_record(merged, note=f"{what} from {note}")
    return True


def _same(a: Any, b: Any) -> bool:
    return a.model_dump() == b.model_dump()
