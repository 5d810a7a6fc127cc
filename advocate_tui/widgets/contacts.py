"""Pane 3: today's contact notes, and earlier notes whose follow-up is due (carried over)."""

from __future__ import annotations

from ..services.rows import Row
from .pane import Pane


class ContactsPane(Pane):
    """Contact notes: time, student, kind · the note's first words, follow-up."""

    PANE = "contacts"
    NUMBER = 3
    TITLE = "Contact notes"
    EMPTY = "No contact notes today — c adds one"

    def summary(self, rows: list[Row]) -> str:
        due = sum(1 for r in rows if "follow-up due" in r.status or "overdue" in r.status) + self.unread(rows, "due")
        return super().summary(rows) + (f" · {due} follow-up{'s' * (due != 1)} due" if due else "")
