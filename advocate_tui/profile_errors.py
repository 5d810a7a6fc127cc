"""A profile's problems in a person's words: one line naming the file, the key path and what is wrong
(:class:`ProfileError`), or every problem with its key path for the setup screen (:func:`explain`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .profile_fields import ItemError

if TYPE_CHECKING:
    from pydantic import ValidationError


class ProfileError(Exception):
    """A profile file that cannot be used; str() is one line: file, key path, problem."""

_MESSAGES = {
    "missing": "missing (required)",
    "extra_forbidden": "unknown key",
    "int": "must be a whole number",
    "string_type": "must be text in quotes",
    "list_type": 'must be a list, like ["a", "b"]',
    "model_type": "must be a table",
    "dataclass_type": "must be a table",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be {expected}",
}


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _located(error: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    """(key path, message) for one pydantic error; the path names the list item a check points at."""
    loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
    kind, ctx = _kind(error), error.get("ctx", {})
    kind = "int" if kind.startswith("int_") else kind
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, ItemError):
            loc += cause.where
        return loc, str(cause if cause else error["msg"])
    if kind in _MESSAGES:
        message = _MESSAGES[kind].format(**ctx)
    else:
        message = error["msg"][:1].lower() + error["msg"][1:]
    if kind not in ("missing", "extra_forbidden") and "input" in error:
        shown = repr(error["input"])
        message += f", not {shown if len(shown) <= 40 else shown[:37] + '...'}"
    return loc, message


def _kind(error: dict[str, Any]) -> str:
    """pydantic's error type; an unknown key of a table is "extra_forbidden" (pydantic says
    "unexpected_keyword_argument" of a dataclass, which the profile's tables are)."""
    kind = error["type"]
    return "extra_forbidden" if kind == "unexpected_keyword_argument" else kind


def _describe(error: dict[str, Any]) -> str:
    """`key.path: message` for one pydantic error."""
    loc, message = _located(error)
    return f"{_key_path(loc)}: {message}"


def explain(exc: ValidationError) -> list[tuple[tuple[int | str, ...], str]]:
    """Every problem of a profile's validation as (key path, message), unknown keys first."""
    errors = sorted(exc.errors(), key=lambda e: _kind(e) != "extra_forbidden")
    return [_located(e) for e in errors]


def error_of_validation(name: str, exc: ValidationError) -> ProfileError:
    # An unknown key usually explains a "missing" one (a typo), so name it first.
    errors = sorted(exc.errors(), key=lambda e: _kind(e) != "extra_forbidden")
    more = len(errors) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return ProfileError(f"{name}: {_describe(errors[0])}{tail}")
