"""The queries of door checks (table ``door_checks``): each door's latest check.

Writes go through the store's record methods; here only reads. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .core import Store
from .rows import from_row
from . import stored
from .stored import Stored
from ..models.enums import DoorStatus
from ..models.kinds import DOOR_CHECK

if TYPE_CHECKING:
    from ..models.door_check import DoorCheck

#: How many of the newest door checks :func:`latest_checks` walks before asking door by door.
LATEST_WALK = 500


def latest_checks(store: Store, doors: list[str], *, stored: bool = False) -> dict[str, DoorCheck]:
    """Each of ``doors``' newest check ever (not voided; a door never checked is left out; ``stored``: each
    as stored, see ``Store.select``).

    The newest checks are walked along their (day, checked_at) index, stopping once every door is
    found: a few rows on a school with daily checks, where a query per door scanned and sorted
    every check of ten years (~0.2 s at the start of a decade's day, bench/). A door not among the
    newest ``LATEST_WALK`` checks (rarely checked, or never) gets a query of its own."""
    wanted, found = set(doors), {}
    if not wanted:
        return found
    cursor = store.db.execute("SELECT * FROM door_checks INDEXED BY idx_door_checks_day WHERE voided = 0 "
                              f"ORDER BY day DESC, checked_at DESC LIMIT {LATEST_WALK}")
    try:
        names = [d[0] for d in cursor.description]
        at = names.index("door")
        for row in cursor:
            if row[at] in wanted and row[at] not in found:
                data = dict(zip(names, row))
                found[row[at]] = Stored(DOOR_CHECK, data) if stored else from_row(DOOR_CHECK, data)
                if len(found) == len(wanted):
                    break
    finally:
        cursor.close()
    for door in wanted - set(found):
        older = store.select(DOOR_CHECK, "door = ?", [door], order_by="day DESC, checked_at DESC", limit=1,
                             stored=stored)
        if older:
            found[door] = older[0]
    return found


def of_incident(store: Store, incident_id: str) -> list[DoorCheck]:
    """The checks whose exception became this incident."""
    return store.select(DOOR_CHECK, "incident_id = ?", [incident_id])


# what a door's row reads of its checks, from their columns (see store.stored)
stored.columns(DOOR_CHECK, {"door": stored.name, "checked_at": stored.moment, "status": stored.vocab(DoorStatus),
                            "note": stored.text})
