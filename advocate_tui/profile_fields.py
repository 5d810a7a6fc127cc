"""The building blocks of the profile's classes: the strict base (frozen, unknown keys refused) and the field
types that read times, names and lists of names, each with one clear complaint.

The profile's classes are frozen stdlib dataclasses: defining them imports no pydantic (a start whose profile
validated before builds it from its cache, :mod:`advocate_tui.profile_cache`). pydantic validates them
through a ``TypeAdapter`` (:func:`adapter`), reading each field's checks from its ``Annotated`` markers
(:class:`Before`, :class:`After`, :class:`Limits`), which import pydantic only
when pydantic asks them for their schema.
"""

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar


class ItemError(ValueError):
    """A validator's complaint about one item inside a list, so the key path can name it."""

    def __init__(self, message: str, *where: int | str) -> None:
        super().__init__(message)
        self.where = where


class _Check:
    """A field check pydantic runs (``mode`` "before" or "after" its own); ``fn(value)``, or ``fn(value, info)``
    to see the fields validated before it (``info.data``)."""

    mode = "after"

    def __init__(self, fn: Callable[..., Any], *, with_info: bool = False) -> None:
        self.fn, self.with_info = fn, with_info

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        schema = handler(source)
        if self.with_info:
            make = getattr(core_schema, f"with_info_{self.mode}_validator_function")
        else:
            make = getattr(core_schema, f"no_info_{self.mode}_validator_function")
        return make(self.fn, schema)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fn.__qualname__})"


class Before(_Check):
    """Runs ``fn`` on the value as given, before pydantic checks its type."""

    mode = "before"


class After(_Check):
    """Runs ``fn`` on the value pydantic has checked."""


class Limits:
    """Bounds pydantic checks in its own schema of the field, with its own messages: ``Limits(ge=10, le=240)``
    on a number, ``Limits(min_length=3, max_length=5)`` on a list, ``Limits(pattern=...)`` on text. (Put it
    first in ``Annotated``, before a check.)"""

    def __init__(self, **limits: Any) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return {**handler(source), **self.limits}

    def __repr__(self) -> str:
        return f"Limits({', '.join(f'{k}={v!r}' for k, v in self.limits.items())})"


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
    from .models.errors import CONTROL_MESSAGE  # (validating: pydantic and the models' checks are loaded by now)
    from .models.text import has_controls

    if isinstance(value, str):
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        if has_controls(value):  # names show on every screen: never a terminal code
            raise ValueError(CONTROL_MESSAGE)
    return value


Time = Annotated[dt.time, Before(_to_time)]
Name = Annotated[str, After(_to_name)]


def listed(what: str, *, required: bool = True) -> After:
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

    check.__qualname__ = f"listed({what!r})"
    return After(check)


def strict(cls: type) -> type:
    """A profile class: a keyword-only stdlib dataclass, frozen (see :class:`Strict`).

    Its ``__init__``, ``__eq__``, ``__repr__`` and frozen ``__setattr__`` are :class:`Strict`'s, shared by every
    class: ``dataclass()`` writing and compiling its own for each class was ~4M instructions a class (~60M of
    each start for the profile's 15), as much as pydantic building the models the profile used to be."""
    return dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=True)(cls)


class _Fields:
    """``cls.model_fields``: the names of a profile class's fields (as a pydantic model lists them)."""

    def __get__(self, obj: object, owner: type) -> dict[str, dataclasses.Field]:
        return {f.name: f for f in dataclasses.fields(owner)}


class Strict:
    """The base of the profile's classes (each decorated with :func:`strict`): unknown keys refused, frozen.

    A class's whole-object check is its ``_validated(self)`` method, run by pydantic after the fields (it
    returns the object, or a copy with a default filled in; raises ``ValueError``/:class:`ItemError`).
    ``model_validate``, ``model_dump``, ``model_copy`` and ``model_fields`` work as they did on the pydantic
    models the profile used to be made of.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    model_fields = _Fields()
    __hash__ = None  # type: ignore[assignment]  (lists inside: not hashable)

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        spec = cls.__dict__.get("_init_spec")
        if spec is None:
            spec = [(f.name, f.default, f.default_factory) for f in dataclasses.fields(cls)]
            type.__setattr__(cls, "_init_spec", spec)
        for name, default, factory in spec:
            if name in values:
                value = values.pop(name)
            elif factory is not dataclasses.MISSING:
                value = factory()
            elif default is not dataclasses.MISSING:
                value = default
            else:
                raise TypeError(f"{cls.__name__}() missing keyword argument {name!r}")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {next(iter(values))!r}")

    def _values(self) -> tuple:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        check = cls.__dict__.get("_validated")
        if check is None:
            return schema
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(check, schema)

    @classmethod
    def model_validate(cls, data: Any) -> Any:
        """``data`` validated as this class (pydantic's ``ValidationError`` when it is not one)."""
        return adapter(cls).validate_python(data)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The fields as plain data (pydantic's ``dump_python``: ``mode="json"``, ``exclude_none``…)."""
        return adapter(type(self)).dump_python(self, **kwargs)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A copy with ``update``'s fields replaced (not validated, as pydantic's ``model_copy``)."""
        return dataclasses.replace(self, **(update or {}))


_ADAPTERS: dict[type, Any] = {}


def adapter(cls: type) -> Any:
    """pydantic's ``TypeAdapter`` of a profile class (made once; the first imports pydantic, ~0.1 s)."""
    made = _ADAPTERS.get(cls)
    if made is None:
        from . import pydantic_plugins  # noqa: F401  (no pydantic plugin: before any validator is built)
        from pydantic import TypeAdapter

        made = _ADAPTERS[cls] = TypeAdapter(cls)
    return made
