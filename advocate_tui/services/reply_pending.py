"""What the coordinator's next reply to a school carries: the school's referrals whose coordinator's word changed
since the last reply (each as the decision it reports) and the restorative processes worked here since, with the
school's own student numbers."""

from __future__ import annotations

import pendulum

from ..desk import Desk
from ..models import (
    Process,
    ProcessReply,
    ReferralOutcome,
    ReferralReply,
    ReferralStatus,
    ReplyDecision,
    Referral,
)
from ..store import processes as process_queries
from ..store.schools import SENT, ReplyRow
from .schools import number_of


def decision_of(referral: Referral) -> ReplyDecision:
    """The decision a reply reports for the referral's current state."""
    if referral.status is ReferralStatus.CLOSED:
        return ReplyDecision.DECLINED if referral.outcome is ReferralOutcome.DECLINED else ReplyDecision.CLOSED
    if referral.status is ReferralStatus.ACCEPTED:
        return ReplyDecision.SCHEDULED if referral.scheduled_for is not None else ReplyDecision.ACCEPTED
    return ReplyDecision.RECEIVED


def reply_item(referral: Referral) -> ReferralReply:
    """The referral as the reply carries it: its decision and the coordinator's fields."""
    decision = decision_of(referral)
    closed = decision in (ReplyDecision.DECLINED, ReplyDecision.CLOSED)
    return ReferralReply(
        referral_id=referral.id, decision=decision, decided_at=referral.decided_at, accepted_at=referral.accepted_at,
        closed_at=referral.closed_at if closed else None, facilitator=referral.facilitator,
        scheduled_for=referral.scheduled_for, place=referral.place,
        outcome=referral.outcome if closed else None, outcome_note=referral.outcome_note if closed else "",
        note=referral.coordinator_note)


def last_sent(desk: Desk, school: str) -> ReplyRow | None:
    """The last reply written to the school, if any."""
    sent = desk.store.replies(SENT, school)
    return sent[-1] if sent else None


def referrals_by_id(desk: Desk, ids: list[str], where: str = "1", *, include_voided: bool = False) -> list[Referral]:
    """The referrals with these ids (that also match ``where``), a few hundred ids a query."""
    out: list[Referral] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out += desk.store.select(Referral, f"({where}) AND id IN ({','.join('?' * len(chunk))})", chunk,
                                 include_voided=include_voided)
    return out


def pending(desk: Desk, school: str, *, everything: bool = False) -> list[Referral]:
    """The school's referrals whose coordinator's word changed since the last reply to it (``everything``:
    every referral with a word), urgent first, oldest first. Voided referrals are left out."""
    last = last_sent(desk, school)
    since = None if (everything or last is None) else pendulum.parse(last.generated_at)
    refs = referrals_by_id(desk, desk.store.school_records("referral", school), "decided_at IS NOT NULL")
    refs = [r for r in refs if since is None or r.decided_at > since]
    return sorted(refs, key=lambda r: (r.urgency.rank, r.referred_at))


def pending_processes(desk: Desk, school: str, *, everything: bool = False) -> list[ProcessReply]:
    """The school's restorative processes (its handoffs brought them, or the coordinator started them from its
    referral) changed here since the last reply to it (``everything``: ever), oldest change first, each as
    the school will keep it: its students by the school's own numbers."""
    last = last_sent(desk, school)
    since = None if (everything or last is None) else last.generated_at
    worked = process_queries.processes_worked_here_since(desk.store, since)
    if not worked:
        return []
    processes = [p for p in (desk.store.get(Process, i) for i in worked) if p is not None and not p.voided]
    schools = desk.store.record_schools("process", [p.id for p in processes])
    by_referral = desk.store.record_schools("referral", [p.referral_id for p in processes if p.referral_id])
    out = []
    for p in processes:
        if schools.get(p.id, by_referral.get(p.referral_id or "")) != school:
            continue
        parties = [x.model_copy(update={"student_id": number_of(x.student_id, school)}) if x.student_id else x
                   for x in p.parties]
        out.append(ProcessReply.model_validate(p.model_copy(update={"parties": parties}).model_dump()
                                               | {"changed_at": pendulum.parse(worked[p.id])}))
    return out
