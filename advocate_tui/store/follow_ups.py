"""The query of follow-ups due: incidents and contact notes of earlier days whose follow-up date has come
and whose follow-up has not ended (the columns ``follow_up_date`` and ``follow_up_end``, migration m006).
No Textual here.
"""

from __future__ import annotations

from datetime import date

from ..models import Record
from .core import Store


def due_before(store: Store, record_type: type[Record], day: date, *, limit: int) -> list[Record]:
    """Records of days before ``day`` whose follow-up is due by ``day`` and not ended, the latest due first."""
    return store.select(record_type, "day < ? AND follow_up_date IS NOT NULL AND follow_up_date <= ? "
                        "AND follow_up_end IS NULL", [str(day), str(day)], order_by="follow_up_date DESC",
                        limit=limit)


def due_by(store: Store, record_type: type[Record], day: date) -> list[Record]:
    """Every record whose follow-up is due by ``day`` and not ended, however old, the earliest due first."""
    return store.select(record_type, "follow_up_date IS NOT NULL AND follow_up_date <= ? AND follow_up_end IS NULL",
                        [str(day)], order_by="follow_up_date")
