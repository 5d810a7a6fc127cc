"""The query of follow-ups due: incidents and contact notes of earlier days whose follow-up date has come
and whose follow-up has not ended (the columns ``follow_up_date`` and ``follow_up_end``, migration m006).
No Textual here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from .core import Store
from .rows import table_of

if TYPE_CHECKING:
    from ..models.base import Record


def due_before(store: Store, record_type: type[Record], day: date, *, limit: int,
               skip: Collection[str] = (), stored: bool = False) -> list[Record]:
    """Records of days before ``day`` whose follow-up is due by ``day`` and not ended, the latest due first;
    at most ``limit`` of them (none for a limit of 0 or less), the ids ``skip`` left out (already on screen)."""
    if limit <= 0:
        return []
    where, params = _due_before(day, skip)
    return store.select(record_type, where, params, order_by="follow_up_date DESC", limit=limit, stored=stored)


def _due_before(day: date, skip: Collection[str]) -> tuple[str, list]:
    where = "day < ? AND follow_up_date IS NOT NULL AND follow_up_date <= ? AND follow_up_end IS NULL"
    params = [str(day), str(day)]
    if skip:
        where += f" AND id NOT IN ({','.join('?' * len(skip))})"
        params += list(skip)
    return where, params


def count_due_before(store: Store, record_type: type[Record], day: date, *, limit: int, skip: Collection[str] = (),
                     flag: str | None = None) -> tuple[int, int]:
    """How many records :func:`due_before` lists with the same ``limit`` and ``skip``, and how many of them
    meet the SQL condition ``flag`` (a column's value: ``"level = 'major'"``), without reading the records."""
    if limit <= 0:
        return 0, 0
    where, params = _due_before(day, skip)
    rows = (f"SELECT {flag or '0'} AS flagged FROM {table_of(record_type)} WHERE ({where}) AND voided = 0 "
            f"ORDER BY follow_up_date DESC LIMIT {int(limit)}")
    count, flagged = store.db.execute(f"SELECT COUNT(*), TOTAL(flagged) FROM ({rows})", params).fetchone()
    return int(count), int(flagged)


_DUE_BY = "follow_up_date IS NOT NULL AND follow_up_date <= ? AND follow_up_end IS NULL"


def due_by(store: Store, record_type: type[Record], day: date, *, latest: int | None = None) -> list[Record]:
    """Records whose follow-up is due by ``day`` and not ended, however old, the earliest due first; with
    ``latest``, only that many of the most recently due (still earliest first)."""
    if latest is None:
        return store.select(record_type, _DUE_BY, [str(day)], order_by="follow_up_date")
    rows = store.select(record_type, _DUE_BY, [str(day)], order_by="follow_up_date DESC, rowid DESC", limit=latest)
    return rows[::-1]


def count_due_by(store: Store, record_type: type[Record], day: date) -> tuple[int, date | None]:
    """How many records' follow-ups are due by ``day`` and not ended (as :func:`due_by` lists them), and the
    earliest due date among them (None when there are none)."""
    row = store.db.execute(f"SELECT COUNT(*), MIN(follow_up_date) FROM {table_of(record_type)} "
                           f"WHERE {_DUE_BY} AND voided = 0", [str(day)]).fetchone()
    return int(row[0]), (date.fromisoformat(row[1]) if row[1] else None)
