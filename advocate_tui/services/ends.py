"""Every item has an end: a follow-up done or dismissed, an attendance follow-up resolved, a door
exception cleared.

- An incident's or contact note's follow-up ends *done* with a short outcome, or *dismissed* with a
  reason: a change of status of that record (audit action STATUS, with its history), never an
  amendment. Until then a follow-up that is due stays on the main screen, however old.
- An attendance follow-up is *resolved* with what came of it (or dismissed with a reason): a change
  of status too, not an amendment.
- A door exception stands until the door is found secure again; clearing it with a note ("wedge
  removed") is a new check of that door, secure, with the note — without waiting for the next round.

:func:`end_kind` says what ending the selected item means (None when it has nothing to end);
:func:`end_item` does it. Errors are :class:`~advocate_tui.services.recording.Invalid` keyed
``outcome`` (the one field the end form has). No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..desk import Desk
from ..models import DoorStatus, FollowUpEnd, FollowUpStatus
from .recording import Invalid

if TYPE_CHECKING:
    from ..models.base import Record

__all__ = ["FOLLOW_UP", "ATTENDANCE", "DOOR", "end_kind", "end_item", "ended_text", "Invalid"]

#: what ending an item means (see :func:`end_kind`)
FOLLOW_UP, ATTENDANCE, DOOR = "follow_up", "attendance", "door"

#: longest outcome or reason (a line; the record's notes hold the rest)
MAX_OUTCOME = 200


def _ends(record: Record) -> str | None:
    """What ending a record of its kind means, by its kind (:data:`FOLLOW_UP`, :data:`ATTENDANCE`,
    :data:`DOOR`), None for a kind that has no end."""
    from .kinds import kind_of  # (the kinds' modules name these ends)

    kind = kind_of(record)
    return kind.ends if kind is not None else None


def end_kind(desk: Desk, record: Record | None) -> str | None:
    """What ending ``record`` means: :data:`FOLLOW_UP` (an incident or note with an open follow-up),
    :data:`ATTENDANCE` (an open attendance follow-up), :data:`DOOR` (the check that found a door not
    secure, while no later check has cleared it), or None (nothing to end)."""
    if record is None or record.voided:
        return None
    ends = _ends(record)
    if ends == FOLLOW_UP:
        return FOLLOW_UP if record.follow_up_open else None
    if ends == ATTENDANCE:
        return ATTENDANCE if record.status is FollowUpStatus.OPEN else None
    if ends == DOOR and record.is_exception:
        from .checklist import door_state

        state = door_state(desk, record.door)
        return DOOR if state is not None and state.exception is not None and state.exception.id == record.id else None
    return None


def _outcome(text: str, dismissed: bool) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise Invalid({"outcome": "is required — say in a few words why it is dismissed" if dismissed
                       else "is required — say in a few words what came of it"})
    if len(text) > MAX_OUTCOME:
        raise Invalid({"outcome": f"is too long ({len(text)} characters; at most {MAX_OUTCOME}) — a line is enough"})
    return text


def end_item(desk: Desk, record: Record, text: str, *, dismissed: bool = False) -> Record:
    """End ``record`` with ``text`` (the outcome, or with ``dismissed`` the reason); returns what was saved.

    Raises :class:`Invalid` when the text is missing, or the item has nothing to end (any more: another
    desk may have ended it meanwhile).
    """
    outcome = _outcome(text, dismissed)
    store = desk.store
    with store.transaction():
        current = store.get(type(record), record.id) or record
        kind = end_kind(desk, current)
        if kind is None:
            raise Invalid({"": "this item has nothing left to end (it was ended, cleared or voided meanwhile)"})
        if kind == DOOR:
            if dismissed:
                raise Invalid({"": "a door exception is cleared, not dismissed: say what was done"})
            from .checklist import record_door_check

            return record_door_check(desk, current.door, DoorStatus.SECURE, f"cleared: {outcome}")
        now = desk.clock.now()
        if kind == ATTENDANCE:
            status = FollowUpStatus.DISMISSED if dismissed else FollowUpStatus.RESOLVED
            updated = current.model_copy(update={"status": status, "resolved_at": now, "resolution": outcome})
            return store.set_status(type(current).model_validate(updated.model_dump()), note=f"{status.value}: {outcome}")
        end = FollowUpEnd.DISMISSED if dismissed else FollowUpEnd.DONE
        updated = current.model_copy(update={"follow_up_end": end, "follow_up_note": outcome, "follow_up_ended_at": now})
        return store.set_status(type(current).model_validate(updated.model_dump()),
                                note=f"follow-up {end.value}: {outcome}")


def ended_text(record: Record) -> str:
    """A few words for the screen once ended: 'follow-up done', 'resolved', 'door cleared'…"""
    ends = _ends(record)
    if ends == FOLLOW_UP and record.follow_up_end is not None:
        return f"follow-up {record.follow_up_end.value}"
    if ends == ATTENDANCE:
        return f"attendance follow-up {record.status.label.lower()}"
    if ends == DOOR:
        return f"door exception at {record.door} cleared"
    return "ended"
