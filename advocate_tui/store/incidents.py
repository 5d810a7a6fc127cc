"""The queries of incidents beyond the record methods: which ones name given students with a given action.

Writes go through the store's record methods, each with its audit entry; here only reads. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import IncidentAction
from .core import Store
from ..models.kinds import INCIDENT

if TYPE_CHECKING:
    from ..models.incident import Incident


def with_action_naming(store: Store, action: IncidentAction, student_ids: list[str]) -> list[Incident]:
    """The (not voided) incidents whose actions include ``action`` and that name any of ``student_ids``."""
    marks = ",".join("?" * len(student_ids))
    return store.select(
        INCIDENT, f"actions LIKE ? AND id IN (SELECT record_id FROM record_students WHERE record_type = 'incident' "
                  f"AND student_id IN ({marks}))", [f'%"{action.value}"%', *student_ids])
