"""The queries of handoffs (table ``handoffs``) and of what is not in one yet.

Writes go through the store's record methods (a handoff is added by ``services.handoff.sign_off``);
here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from . import stored
from .core import Store
from ..models.kinds import HANDOFF

if TYPE_CHECKING:
    from ..models.base import Record
    from ..models.handoff import Handoff


def latest_signed(store: Store, *, stored: bool = False) -> Handoff | None:
    """The handoff signed last (by its signing time; voided ones left out), or None (``stored``: see
    ``Store.select``)."""
    found = store.select(HANDOFF, "", order_by="signed_at DESC", limit=1, stored=stored)
    return found[0] if found else None


def latest_by_day(store: Store, *, stored: bool = False) -> Handoff | None:
    """The handoff of the latest school day, its last by number (voided ones left out), or None
    (``stored``: see ``Store.select``)."""
    found = store.select(HANDOFF, "", order_by="date DESC, sequence DESC", limit=1, stored=stored)
    return found[0] if found else None


def of_day(store: Store, day: date | str, *, include_voided: bool = False) -> list[Handoff]:
    """The handoffs signed on a school day, first first."""
    return store.select(HANDOFF, "date = ?", [str(day)], order_by="sequence", include_voided=include_voided)


def carrying(store: Store, ids_field: str, record_id: str, *, skip: str | None = None) -> list[Handoff]:
    """The handoffs whose ``ids_field`` list (``referral_ids``…) holds ``record_id`` (not ``skip``), first
    signed first."""
    where = f"EXISTS (SELECT 1 FROM json_each(handoffs.{_column(ids_field)}) AS j WHERE j.value = ?)"
    params: list = [record_id]
    if skip is not None:
        where, params = f"id != ? AND {where}", [skip, record_id]
    return store.select(HANDOFF, where, params, order_by="signed_at")


def saved_since(store: Store, record_type: type[Record], day: date, since: date, *,
                stored: bool = False) -> list[Record]:
    """Records of ``record_type`` for a day before ``day`` saved on or after the day ``since`` (a first
    narrowing by text: the caller compares the exact times), oldest first."""
    # (+day: by the index of the time saved, idx_<table>_created; by the day's, SQLite read every record
    # of the days before, ~65 ms a review on the encrypted decade)
    return store.select(record_type, "+day < ? AND created_at >= ?", [str(day), str(since)],
                        order_by=record_type.time_field, stored=stored)


def _column(ids_field: str) -> str:
    if ids_field not in HANDOFF.model_fields or not ids_field.endswith("_ids"):
        raise ValueError(f"a handoff has no list {ids_field!r}")
    return ids_field


# what the main screen reads of the last handoff (its signing), from its column (see store.stored)
stored.columns(HANDOFF, {"signed_at": stored.moment})
