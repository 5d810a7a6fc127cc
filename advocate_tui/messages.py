"""Messages shared between screens: something was saved, the main screen should show it.

Pane-specific messages live in the pane that posts them (``Pane.Chosen``, ``Pane.Activated``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .models.base import Record


__all__ = ["RecordsChanged"]


class RecordsChanged(Message):
    """Records changed (a form saved, a void, a handoff): reload the panes and select ``record``."""

    def __init__(self, record: Record | None = None) -> None:
        super().__init__()
        self.record = record
