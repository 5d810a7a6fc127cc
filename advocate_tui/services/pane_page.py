"""A pane's page read a first part at a time: the records carried over from earlier days (their follow-ups
due) that fill the incidents' and contact notes' panes after today's and the late ones. Only the first
rows are read at a start (:data:`~advocate_tui.services.rows.FIRST_PAGE`); the rest of the page is
counted (how many, and how many of them count for the pane's summary) and read as the cursor comes near.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from ..store import follow_ups as follow_up_queries
from .rows import Look

if TYPE_CHECKING:
    from ..models.base import Record

__all__ = ["carried_page"]


def carried_page(look: Look, record_type, before: int, skip: Collection[str], *,
                 alert: tuple[str, Callable[[Record], bool]] | None = None) -> tuple[list[Record], int, dict[str, int]]:
    """The carried-over records of ``record_type`` after the ``before`` rows of today and logged late
    (``skip``: their ids), the latest due first, as many as fill the page — or, when the look reads only
    its first rows, as many as fill those: then also how many more the page holds, and their tally for
    the summary ("carried", "due": every one's follow-up is due or overdue; "alert": those meeting
    ``alert``, a SQL condition and the same test of a record)."""
    room = look.page - before
    now = room if look.first is None else min(room, max(look.first - before, 0))
    carried = follow_up_queries.due_before(look.desk.store, record_type, look.day, limit=now, skip=skip)
    if now >= room or len(carried) < now:
        return carried, 0, {}
    count, flagged = follow_up_queries.count_due_before(look.desk.store, record_type, look.day, limit=room,
                                                        skip=skip, flag=alert[0] if alert else None)
    unread = count - len(carried)
    if unread <= 0:
        return carried, 0, {}
    tally = {"carried": unread, "due": unread}
    if alert is not None:
        tally["alert"] = flagged - sum(1 for r in carried if alert[1](r))
    return carried, unread, tally
