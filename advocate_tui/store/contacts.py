"""The queries of contact notes (table ``contact_notes``).

Writes go through the store's record methods; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .core import Store
from ..models.enums import ContactKind
from ..models.kinds import CONTACT_NOTE
from . import stored

if TYPE_CHECKING:
    from ..models.contact import ContactNote


def flagged_not_handed_off(store: Store, day: date) -> list[ContactNote]:
    """Notes of days up to ``day`` flagged for the coordinator and in no handoff yet, oldest first."""
    # the ids already in a handoff stay in SQL (a decade holds thousands): the flagged notes' ids (m014's index)
    # EXCEPT those in a handoff, both sorted once, then the few left are read (``id NOT IN`` looked each flagged
    # note up in the handed-off list and read its row first: ~8-16 ms a review on the encrypted decade, now ~4)
    return store.select(CONTACT_NOTE, "id IN (SELECT id FROM contact_notes WHERE for_coordinator = 1 AND day <= ? "
                        "AND voided = 0 EXCEPT SELECT j.value FROM handoffs, json_each(handoffs.contact_note_ids) AS j "
                        "WHERE contact_note_ids != '[]')", [str(day)], order_by="at")


# what a contact note's row reads, from its columns (see store.stored)
stored.columns(CONTACT_NOTE, {**stored.FOLLOW_UP, "at": stored.moment, "student_id": stored.line, "note": stored.text,
                              "contact_kind": stored.vocab(ContactKind), "for_coordinator": stored.flag})
