"""What records with a follow-up share: the fields its end sets, the check that an end says how and when,
whether one is open, and the check that a list names nothing twice."""

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


class FollowUpOpen:
    """For a record with a follow-up (``follow_up_date``, ``follow_up_end``): whether it is still open."""

    @property
    def follow_up_open(self) -> bool:
        """True while a follow-up date is set and the follow-up has not ended."""
        return self.follow_up_date is not None and self.follow_up_end is None


#: the fields a follow-up's end changes (a status change, not an amendment)
FOLLOW_UP_END_FIELDS = frozenset({"follow_up_end", "follow_up_note", "follow_up_ended_at"})
