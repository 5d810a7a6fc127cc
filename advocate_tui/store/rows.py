"""Turning records into table rows and back (JSON for lists, school-time ISO strings)."""

from __future__ import annotations

import json
import sys
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any

import pendulum

from ..models.kinds import LATER, STORED, model_of
from .schema import RECORD_KINDS

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..models.base import Record

#: record type (``Record.kind``) -> its table
TABLES: dict[str, str] = {kind: table for table, kind in RECORD_KINDS.items()}


def table_of(cls: type[Record] | Record) -> str:
    """The table that holds records of this type (or of a :class:`~advocate_tui.models.kinds.Later`'s kind)."""
    return TABLES[cls.kind]


def type_of_table(table: str) -> type[Record]:
    """The record type held in ``table``."""
    for kind, name in TABLES.items():
        if name == table:
            return LATER[kind].model
    raise KeyError(table)


def _is_model(value: Any) -> bool:
    """``value`` is a pydantic model (none can be before pydantic is imported: a start that reads no record
    never imports it)."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def plain(value: Any, tz: str) -> Any:
    """A JSON-able copy of ``value``: datetimes in the school's zone as ISO strings, enums as values."""
    if _is_model(value):
        value = {k: getattr(value, k) for k in type(value).model_fields}
    if isinstance(value, dict):
        return {k: plain(v, tz) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, tz) for v in value]
    if isinstance(value, datetime):
        return pendulum.instance(value).in_timezone(tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


@cache
def json_fields(cls: type[BaseModel]) -> frozenset[str]:
    """Fields stored as JSON text (lists and nested models)."""
    out = set()
    for name, field in model_of(cls).model_fields.items():
        origin = typing.get_origin(field.annotation)
        if origin in (list, dict) or field.annotation in (list, dict):
            out.add(name)
    return frozenset(out)


def day_of(record: Record, tz: str) -> str:
    """The school day a record belongs to (its own time, in the school's zone)."""
    when = record.when
    if isinstance(when, datetime):
        return pendulum.instance(when).in_timezone(tz).date().isoformat()
    if isinstance(when, date):
        return when.isoformat()
    raise ValueError(f"{record.kind} has no time")


def to_row(record: Record, tz: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The table row for ``record`` (JSON columns with sorted keys, as in its audit entry: see
    :func:`snapshot` and the guard triggers in :mod:`.schema`); ``data``: its :func:`plain` copy, if
    already made (it is changed)."""
    data = plain(record, tz) if data is None else data
    for name in json_fields(type(record)):
        data[name] = json.dumps(data[name], ensure_ascii=False, sort_keys=True)
    for name, value in data.items():
        if isinstance(value, bool):
            data[name] = int(value)
    data["day"] = day_of(record, tz)
    return data


@cache
def field_names(cls: type[BaseModel]) -> frozenset[str]:
    """The model's field names (``cls.model_fields`` costs ~1 µs an access in pydantic 2.11+)."""
    return frozenset(model_of(cls).model_fields)


def from_row(cls: type[Record], row: dict[str, Any]) -> Record:
    """The record stored in ``row`` (text stored before control characters were refused comes back cleaned)."""
    fields = field_names(cls)
    data = {k: v for k, v in row.items() if k in fields}
    for name in json_fields(cls):
        if isinstance(data.get(name), str):
            data[name] = json.loads(data[name])
    return model_of(cls).model_validate(data, context=STORED)


def snapshot(record: BaseModel, tz: str) -> str:
    """The record as JSON text for the audit trail."""
    return json.dumps(plain(record, tz), ensure_ascii=False, sort_keys=True)


def snapshot_and_row(record: Record, tz: str) -> tuple[str, dict[str, Any]]:
    """:func:`snapshot` and :func:`to_row` of one record, from one :func:`plain` copy (a save needs
    both: the audit entry and the row it must match)."""
    data = plain(record, tz)
    return json.dumps(data, ensure_ascii=False, sort_keys=True), to_row(record, tz, data)
