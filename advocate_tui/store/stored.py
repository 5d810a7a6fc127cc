"""A record read from its table but not validated yet (no pydantic here): :class:`Stored`.

The main screen's first rows need a few fields of each record (a time, names, a level, a follow-up
date), not the whole validated model: building the models and validating ~900 records at a decade's
start costs more than the rest of reading them. A :class:`Stored` answers a field a pane's row reads
from its column, converted as the model reads it back (the same clean-up: :func:`~..models.text.stored_line`
and :func:`~..models.text.without_controls`, so no control character or terminal code stored by hand or
by an older version reaches the screen), and anything else — every other field, a method, the model
itself (:attr:`Stored.record`) — through the model, validated the first time it is asked (a record that
fails validation is refused then, as when it is read whole). A column that does not convert (a value
the model would refuse) is asked of the model too, so a damaged record fails as it always did.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..models import enums
from ..models.text import stored_line, without_controls

if TYPE_CHECKING:
    from ..models.base import Record
    from ..models.kinds import Later

__all__ = ["Stored", "StoredStudent", "DamagedRecord", "FIELDS", "columns", "COMMON", "FOLLOW_UP", "line",
           "optional_line", "lines", "name", "names", "text", "moment", "day", "flag", "vocab"]


class DamagedRecord(ValueError):
    """A stored record its model refuses (changed by hand, or damaged): it can't be opened."""


def line(value: Any) -> str:
    """One line of text (a name, a place), cleaned as the models clean it read back."""
    if not isinstance(value, str):
        raise TypeError(value)
    return stored_line(value).strip()


def optional_line(value: Any) -> str | None:
    return None if value is None else line(value)


def lines(value: Any) -> list[str]:
    """A JSON list of one-line texts (student numbers)."""
    return [line(v) for v in json.loads(value)]


def name(value: Any) -> str:
    """A name (one line, never empty)."""
    cleaned = line(value)
    if not cleaned:
        raise ValueError("an empty name")
    return cleaned


def names(value: Any) -> list[str]:
    """A JSON list of names (periods)."""
    return [name(v) for v in json.loads(value)]


def text(value: Any) -> str | None:
    """Free text (a note): tabs and line breaks kept, every other control character dropped."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(value)
    return without_controls(value).strip()


def moment(value: Any) -> datetime | None:
    """A time with its zone (stored as ISO text)."""
    if value is None:
        return None
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        raise ValueError(value)
    return when


def day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def flag(value: Any) -> bool:
    if value not in (0, 1):
        raise ValueError(value)
    return bool(value)


def vocab(cls: type) -> Callable[[Any], Any]:
    """One of an enum's values (None for none)."""
    return lambda value: None if value is None else cls(value)


#: what every record's row may read
COMMON = {"id": line, "amended": flag, "voided": flag, "created_at": moment}
#: a record with a follow-up (an incident, a contact note)
FOLLOW_UP = {"follow_up_date": day, "follow_up_end": vocab(enums.FollowUpEnd)}

#: what a pane's row reads of each kind, by field: how its column converts (anything else: the model);
#: each kind's store module says its own (:func:`columns`)
FIELDS: dict[str, dict[str, Callable[[Any], Any]]] = {}


def columns(later: Later, fields: dict[str, Callable[[Any], Any]]) -> None:
    """Say how the fields a pane's row reads of ``later``'s kind convert from their columns (with
    :data:`COMMON`), each as its model reads it back."""
    FIELDS[later.kind] = {**COMMON, **fields}


class Stored:
    """One record as stored (its row), its fields converted when a row asks for them and its model
    validated when anything else is asked (:attr:`record`)."""

    def __init__(self, later: Later, data: dict[str, Any]) -> None:
        self.__dict__["_later"] = later
        self.__dict__["_data"] = data
        self.__dict__["_fields"] = FIELDS.get(later.kind, {})

    @property
    def kind(self) -> str:
        return self._later.kind

    @property
    def when(self) -> Any:
        return getattr(self, self._later.time_field)

    @property
    def record(self) -> Record:
        """The validated record (built once); :class:`DamagedRecord` when its model refuses the row."""
        made = self.__dict__.get("_record")
        if made is None:
            from .rows import from_row

            try:
                made = from_row(self._later, self._data)
            except ValueError as exc:  # pydantic's ValidationError is a ValueError
                raise DamagedRecord(f"this {self.kind.replace('_', ' ')} is damaged in the database and can't be "
                                    f"opened ({_first_error(exc)})") from exc
            self.__dict__["_record"] = made
        return made

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_date is not None and self.follow_up_end is None

    def student_ids(self) -> list[str]:
        return self.record.student_ids()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # (copy, pickle and the like ask the object itself, never the model)
            raise AttributeError(name)
        convert = self._fields.get(name)
        if convert is None or name not in self._data:
            return getattr(self.record, name)
        try:
            value = convert(self._data[name])
        except Exception:  # noqa: BLE001 - a value the model would refuse: let the model say so
            return getattr(self.record, name)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a stored record is read-only")

    def __repr__(self) -> str:
        return f"Stored({self.kind}, {self._data.get('id')!r})"


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            return f"{'.'.join(str(p) for p in first.get('loc', ()))}: {first.get('msg', '')}".strip(": ")
        except Exception:  # noqa: BLE001 - the message alone then
            pass
    return str(exc).splitlines()[0]


class StoredStudent:
    """A student as a pane's row names them (names, homeroom, school), cleaned as the Student model cleans
    a stored name, without building it (``Store.student_labels``)."""

    __slots__ = ("local_id", "given_name", "family_name", "preferred_name", "homeroom", "school")

    def __init__(self, local_id: str, given_name: str, family_name: str, preferred_name: str | None,
                 homeroom: str | None, school: str | None) -> None:
        self.local_id = line(local_id)
        self.given_name = name(given_name)
        self.family_name = name(family_name)
        self.preferred_name = optional_line(preferred_name)
        self.homeroom = optional_line(homeroom)
        self.school = school

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"
