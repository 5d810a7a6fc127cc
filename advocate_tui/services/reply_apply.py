"""What a coordinator's reply changes at the school it answers: each referral takes the coordinator's word and each
restorative process the coordinator's copy, unless the school holds a newer one or voided it (the sections of
:data:`.reply.SECTIONS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pendulum

from ..desk import Desk
from ..models import (
    Process,
    ReferralStatus,
    ReplyBundle,
    ReplyDecision,
    Referral,
)
from ..store import processes as process_queries

if TYPE_CHECKING:
    from .reply import ReplyResult


_STATUS = {ReplyDecision.RECEIVED: ReferralStatus.HANDED_OFF, ReplyDecision.ACCEPTED: ReferralStatus.ACCEPTED,
           ReplyDecision.SCHEDULED: ReferralStatus.ACCEPTED, ReplyDecision.DECLINED: ReferralStatus.CLOSED,
           ReplyDecision.CLOSED: ReferralStatus.CLOSED}


def apply_referrals(desk: Desk, reply: ReplyBundle, result: ReplyResult, note: str) -> None:
    """Each referral takes the coordinator's word, unless it holds a newer one already or was voided."""
    store = desk.store
    for item in reply.referrals:
        current = store.get(Referral, item.referral_id)
        if current is None or current.voided:
            result.kept += 1
            continue
        if current.decided_at is not None and current.decided_at >= item.decided_at:
            if current.decided_at == item.decided_at:
                result.unchanged += 1
            else:
                result.kept += 1
            continue
        merged = current.model_copy(update={
            "status": _STATUS[item.decision], "accepted_at": item.accepted_at, "closed_at": item.closed_at,
            "facilitator": item.facilitator, "scheduled_for": item.scheduled_for, "place": item.place,
            "outcome": item.outcome, "outcome_note": item.outcome_note, "coordinator_note": item.note,
            "decided_at": item.decided_at})
        # the coordinator's fields only (merged from the school's own copy): an import, as a bundle's is
        store.import_record(merged, note=f"{item.decision.label.lower()}: {note}")
        label = item.decision.label.lower()
        result.applied[label] = result.applied.get(label, 0) + 1


def apply_processes(desk: Desk, reply: ReplyBundle, result: ReplyResult, note: str) -> None:
    """Each restorative process as the coordinator holds it, unless the school's copy is the same, was voided,
    or was changed here after the coordinator's change (the school's next handoff carries that back)."""
    store = desk.store
    for item in reply.processes:
        incoming = item.process()
        current = store.get(Process, incoming.id)
        if current is not None and current.model_dump() == incoming.model_dump():
            result.unchanged += 1
            continue
        here = process_queries.last_change_here(store, incoming.id) if current is not None else None
        if current is not None and (current.voided or (here is not None and pendulum.parse(here) > item.changed_at)):
            result.kept += 1
            continue
        store.import_record(incoming, note=f"restorative process: {note}")
        result.applied["processes"] = result.applied.get("processes", 0) + 1
