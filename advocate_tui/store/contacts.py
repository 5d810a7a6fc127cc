"""The queries of contact notes (table ``contact_notes``).

Writes go through the store's record methods; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date

from ..models.contact import ContactNote
from .core import Store


def flagged_not_handed_off(store: Store, day: date) -> list[ContactNote]:
    """Notes of days up to ``day`` flagged for the coordinator and in no handoff yet, oldest first."""
    # the ids already in a handoff stay in SQL (a decade holds thousands)
    return store.select(ContactNote, "for_coordinator = 1 AND day <= ? AND id NOT IN (SELECT j.value FROM "
                        "handoffs, json_each(handoffs.contact_note_ids) AS j WHERE contact_note_ids != '[]')",
                        [str(day)], order_by="at")
