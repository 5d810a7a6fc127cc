"""The coordinator's word on a referral, in one short line: what the school's advocate reads in the
referral pane, on the student page and in the next handoff, and what the coordinator's list shows.

"Accepted · conference Tue 10:15, Room 114", "Declined: handled by the school", "Closed: Agreement
reached". No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clock import Clock
from ..models.enums import ReferralOutcome, ReferralStatus

if TYPE_CHECKING:
    from ..models.referral import Referral

__all__ = ["word", "meeting_when", "has_word"]


def meeting_when(clock: Clock, referral: Referral, *, dated: bool = False) -> str:
    """'today 10:15', 'Tue 10:15' (within the week either way) or '12/08 10:15'; ``dated``: always
    'Tue 12/08 10:15' (for a file read another day)."""
    if referral.scheduled_for is None:
        return ""
    local = clock.local(referral.scheduled_for)
    if dated:
        return local.format("ddd MM/DD HH:mm")
    days = (local.date() - clock.today()).days
    if days == 0:
        day = "today"
    elif -6 <= days <= 6:
        day = local.format("ddd")
    else:
        day = local.format("MM/DD")
    return f"{day} {local.format('HH:mm')}"


def has_word(referral: Referral) -> bool:
    """True once the coordinator has said something about the referral (accepted, scheduled, closed, a note)."""
    return referral.decided_at is not None or referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED)


def word(clock: Clock, referral: Referral, *, note: bool = False, dated: bool = False, brief: bool = False) -> str:
    """The referral's state as the coordinator left it, in one line (with ``note``: and the note for the
    advocate; ``dated``: the meeting's date in full; ``brief``: without the facilitator, for a narrow
    column: "Accepted · conference Tue 10:15, Room 114")."""
    status = referral.status
    if status is ReferralStatus.CLOSED:
        if referral.outcome is ReferralOutcome.DECLINED:
            text = f"Declined: {referral.outcome_note}" if referral.outcome_note else "Declined"
        else:
            text = f"Closed: {referral.outcome.label}" if referral.outcome else "Closed"
    elif status is ReferralStatus.ACCEPTED:
        bits = ["Accepted"]
        if referral.scheduled_for is not None:
            bits.append(f"{referral.purpose.label.lower()} {meeting_when(clock, referral, dated=dated)}"
                        + (f", {referral.place}" if referral.place else ""))
        if referral.facilitator and not brief:
            bits.append(f"with {referral.facilitator}")
        text = " · ".join(bits)
    else:
        text = status.label
    if note and referral.coordinator_note:
        text += f" — “{referral.coordinator_note}”"
    return text
