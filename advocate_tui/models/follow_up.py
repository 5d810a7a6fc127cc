"""What records with a follow-up share: the fields its end sets, the check that an end says how and when,
and the check that a list names nothing twice."""

from __future__ import annotations

from typing import Any


def no_duplicates(values: list, what: str) -> list:
    """``values`` as they are; ValueError naming the first one listed twice."""
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{what} {getattr(v, 'value', v)!s} is listed twice")
        seen.add(v)
    return values


def check_end(record: Any) -> None:
    """An ended follow-up says how (its outcome, or why it was dismissed) and when."""
    if record.follow_up_end is not None:
        if not record.follow_up_note:
            raise ValueError("an ended follow-up needs its outcome or the reason it was dismissed")
        if record.follow_up_ended_at is None:
            raise ValueError("an ended follow-up needs the time it ended")


#: the fields a follow-up's end changes (a status change, not an amendment)
FOLLOW_UP_END_FIELDS = frozenset({"follow_up_end", "follow_up_note", "follow_up_ended_at"})
