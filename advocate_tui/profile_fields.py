"""The building blocks of the profile's models: the strict base model (unknown keys refused, frozen) and the field
types that read times, names and lists of names, each with one clear complaint."""

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
)

from . import pydantic_plugins  # noqa: F401  (no pydantic plugin: before any model is built)
from .models.errors import CONTROL_MESSAGE
from .models.text import has_controls


class ItemError(ValueError):
    """A validator's complaint about one item inside a list, so the key path can name it."""

    def __init__(self, message: str, *where: int | str) -> None:
        super().__init__(message)
        self.where = where


_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


def _to_time(value: Any) -> Any:
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("must be a local time without an offset")
        return value
    if isinstance(value, str) and (m := _HHMM.fullmatch(value.strip())):
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f'must be a time like "08:05", not {value!r}')


def _to_name(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        if has_controls(value):  # names show on every screen: never a terminal code
            raise ValueError(CONTROL_MESSAGE)
    return value


Time = Annotated[dt.time, BeforeValidator(_to_time)]
Name = Annotated[str, AfterValidator(_to_name)]


def listed(what: str, *, required: bool = True) -> AfterValidator:
    """Checks a list of names or named items: not empty (if required), no duplicate names."""

    def check(items: list[Any]) -> list[Any]:
        if required and not items:
            raise ValueError(f"must list at least one {what}")
        seen: set[str] = set()
        for index, item in enumerate(items):
            name = getattr(item, "name", item)
            if name.casefold() in seen:
                where = (index, "name") if hasattr(item, "name") else (index,)
                raise ItemError(f"duplicate {what} {name!r}", *where)
            seen.add(name.casefold())
        return items

    return AfterValidator(check)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
