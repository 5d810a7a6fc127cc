"""The queries of referrals (table ``referrals``): the queue, its counts, the meetings the coordinator
scheduled, what changed since a handoff.

Writes go through the store's record methods; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import pendulum

from ..models.enums import ReferralOutcome, ReferralPurpose, ReferralStatus, Urgency
from . import stored
from .core import Store
from ..models.kinds import REFERRAL

if TYPE_CHECKING:
    from ..models.referral import Referral

_NEW, _CLOSED = ReferralStatus.NEW.value, ReferralStatus.CLOSED.value


def open_count(store: Store) -> int:
    """Referrals not closed (nor voided)."""
    return store.db.execute("SELECT count(*) FROM referrals WHERE voided = 0 AND status != ?", [_CLOSED]).fetchone()[0]


def new_count(store: Store, day: date) -> int:
    """Referrals still "new" (not handed off) made on or before ``day``."""
    return store.db.execute("SELECT count(*) FROM referrals WHERE voided = 0 AND status = ? AND day <= ?",
                            [_NEW, str(day)]).fetchone()[0]


def new_by(store: Store, day: date) -> list[Referral]:
    """Referrals still "new" made on or before ``day`` (in no particular order)."""
    return store.select(REFERRAL, "status = ? AND day <= ?", [_NEW, str(day)])


def scheduled_between(store: Store, start: datetime, end: datetime, *, stored: bool = False) -> list[Referral]:
    """Accepted referrals with a meeting from ``start`` to before ``end`` (in no particular order; ``stored``:
    see ``Store.select``)."""
    # the stored text carries the school's offset: narrow by text a day wider, then compare the moments
    # themselves (a DST day is 23 or 25 h)
    found = store.select(REFERRAL, "status = ? AND scheduled_for IS NOT NULL AND scheduled_for >= ? "
                         "AND scheduled_for < ?", [ReferralStatus.ACCEPTED.value,
                                                   pendulum.instance(start).subtract(days=1).isoformat(),
                                                   pendulum.instance(end).add(days=1).isoformat()],
                         stored=stored)
    return [r for r in found if start <= r.scheduled_for < end]


def carried(store: Store, day: date, since: datetime, *, limit: int, stored: bool = False) -> list[Referral]:
    """Referrals of days before ``day`` not closed, or closed by the coordinator after ``since`` (``stored``:
    see ``Store.select``)."""
    # the two halves from their own (partial) indexes, not every referral of every earlier day read and
    # tested (a decade's ~14,000 rows, each a decrypted page: ~30 ms of every start's CPU -> ~2 ms); the
    # day in the first half too, or SQLite walks every referral's entry in idx_referrals_status instead
    # of the open ones' idx_referrals_open (EXPLAIN QUERY PLAN; 17.8M -> 3.9M instructions on the decade)
    found = store.select(REFERRAL, "day < ? AND rowid IN (SELECT rowid FROM referrals WHERE status != ? AND day < ? "
                         "UNION ALL SELECT rowid FROM referrals WHERE decided_at >= ?)",
                         [str(day), _CLOSED, str(day), pendulum.instance(since).subtract(days=1).isoformat()],
                         limit=limit, stored=stored)
    return [r for r in found if r.status is not ReferralStatus.CLOSED or (r.decided_at and r.decided_at > since)]


def decided_since(store: Store, since: datetime | None) -> list[Referral]:
    """Referrals the coordinator decided, scheduled or noted after ``since`` (every one when None), in that order."""
    # the stored text carries the school's offset: narrow by text a day early (the index), then compare moments
    rough = pendulum.instance(since).subtract(days=1).isoformat() if since else ""
    found = store.select(REFERRAL, "decided_at IS NOT NULL AND decided_at >= ?", [rough], order_by="decided_at")
    return [r for r in found if since is None or r.decided_at > since]


def changed_after_handoff(store: Store) -> list[Referral]:
    """Referrals handed off and since voided or amended (voided ones too), the oldest first: the ones a
    later handoff may have to carry again."""
    return store.select(REFERRAL, "status != ? AND handoff_id IS NOT NULL AND (voided = 1 OR amended = 1)",
                        [_NEW], order_by="referred_at", include_voided=True)


def made_from(store: Store, column: str, record_id: str) -> list[Referral]:
    """Referrals made from a record (``incident_id`` or ``contact_note_id``)."""
    if column not in ("incident_id", "contact_note_id"):
        raise ValueError(f"a referral is not made from {column!r}")
    return store.select(REFERRAL, f"{column} = ?", [record_id])


# what a referral's row (and today's meetings') reads, from its columns (see store.stored)
stored.columns(REFERRAL, {"referred_at": stored.moment, "students": stored.lines, "destination": stored.name,
                          "purpose": stored.vocab(ReferralPurpose), "urgency": stored.vocab(Urgency),
                          "status": stored.vocab(ReferralStatus), "outcome": stored.vocab(ReferralOutcome),
                          "decided_at": stored.moment, "scheduled_for": stored.moment, "place": stored.optional_line,
                          "facilitator": stored.optional_line, "outcome_note": stored.text,
                          "coordinator_note": stored.text})
