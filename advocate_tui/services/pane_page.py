"""A pane's page read a first part at a time: the records carried over from earlier days that fill a pane
after today's and the late ones (incidents' and contact notes' follow-ups due, attendance still open). Only the first
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

__all__ = ["first_part", "carried_page"]


def first_part(look: Look, before: int, read: Callable[[int], list[Record]], count: Callable[[int], tuple[int, int]],
               tally: Callable[[int, int, list[Record]], dict[str, int]]) -> tuple[list[Record], int, dict[str, int]]:
    """The records that fill a pane's page after its ``before`` rows: ``read(n)``, the first ``n`` of them
    in the page's order — all that fill the page or, when the look reads only its first rows, as many as
    fill those; then also how many more the page holds (``count(n)``: how many of the first ``n`` there
    are, and how many of them meet the kind's test) and their ``tally(unread, met, records read)``."""
    room = look.page - before
    now = room if look.first is None else min(room, max(look.first - before, 0))
    records = read(now) if now > 0 else []
    if now >= room or len(records) < now:
        return records, 0, {}
    total, met = count(room)
    unread = total - len(records)
    if unread <= 0:
        return records, 0, {}
    return records, unread, tally(unread, met, records)


def carried_page(look: Look, record_type, before: int, skip: Collection[str], *,
                 alert: tuple[str, Callable[[Record], bool]] | None = None) -> tuple[list[Record], int, dict[str, int]]:
    """The carried-over records of ``record_type`` after the ``before`` rows of today and logged late
    (``skip``: their ids), the latest due first (:func:`first_part`); the tally of those not read:
    "carried", "due" (every one's follow-up is due or overdue) and "alert" (those meeting ``alert``, a
    SQL condition and the same test of a record)."""
    store, day = look.desk.store, look.day

    def tally(unread: int, met: int, records: list[Record]) -> dict[str, int]:
        out = {"carried": unread, "due": unread}
        if alert is not None:
            out["alert"] = met - sum(1 for r in records if alert[1](r))
        return out

    # (each record as stored: validated only when its row is opened, see store.stored)
    return first_part(look, before, lambda n: follow_up_queries.due_before(store, record_type, day, limit=n, skip=skip,
                                                                           stored=True),
                      lambda n: follow_up_queries.count_due_before(store, record_type, day, limit=n, skip=skip,
                                                                   flag=alert[0] if alert else None), tally)
