"""The queries of incidents beyond the record methods: which ones name given students with a given action.

Writes go through the store's record methods, each with its audit entry; here only reads. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import json
from types import SimpleNamespace

from ..models import IncidentAction, Level, StudentRole
from .core import Store
from ..models.kinds import INCIDENT
from . import stored

if TYPE_CHECKING:
    from ..models.incident import Incident


def with_action_naming(store: Store, action: IncidentAction, student_ids: list[str]) -> list[Incident]:
    """The (not voided) incidents whose actions include ``action`` and that name any of ``student_ids``."""
    marks = ",".join("?" * len(student_ids))
    return store.select(
        INCIDENT, f"actions LIKE ? AND id IN (SELECT record_id FROM record_students WHERE record_type = 'incident' "
                  f"AND student_id IN ({marks}))", [f'%"{action.value}"%', *student_ids])


def _students(value: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(student_id=stored.line(s["student_id"]), role=StudentRole(s.get("role", "involved")))
            for s in json.loads(value)]


# what an incident's row reads, from its columns (see store.stored)
stored.columns(INCIDENT, {**stored.FOLLOW_UP, "occurred_at": stored.moment, "behavior": stored.name,
                          "location": stored.name, "level": stored.vocab(Level), "students": _students})
