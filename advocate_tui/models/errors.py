"""Turn pydantic validation errors into words a person at the desk understands (importing it imports no
pydantic: a start's forms and the profile's checks name :data:`CONTROL_MESSAGE` before any error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text import NAME_PATTERN, TEXT_PATTERN

if TYPE_CHECKING:
    from pydantic import ValidationError

#: what a field refusing control characters says (never the value: it may be a student's name)
CONTROL_MESSAGE = "can't hold control characters (a tab, line break or terminal code)"

_FRIENDLY = {
    "missing": "is required",
    "string_too_short": "can't be empty",
    "too_short": "needs at least one",
    "string_pattern_mismatch": "has characters that are not allowed",
    "datetime_parsing": "is not a date and time",
    "datetime_from_date_parsing": "is not a date and time",
    "date_parsing": "is not a date (try 2026-11-30)",
    "date_from_datetime_parsing": "is not a date (try 2026-11-30)",
    "timezone_aware": "needs a time zone",
    "extra_forbidden": "is not a field of this record",
    "bool_parsing": "must be yes or no",
    "int_parsing": "must be a whole number",
}


def friendly_errors(exc: ValidationError) -> dict[str, str]:
    """Map each failing field (dotted path, '' for the whole record) to one readable message."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        etype = err.get("type", "")
        if etype == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"must be one of {expected}"
        elif etype == "string_too_long" or (etype == "too_long" and isinstance(err.get("input"), str)):
            msg = f"is too long (at most {err.get('ctx', {}).get('max_length')} characters)"
        elif etype == "too_long":
            msg = f"has too many entries (at most {err.get('ctx', {}).get('max_length')})"
        elif etype == "greater_than_equal":
            msg = f"must be at least {err.get('ctx', {}).get('ge')}"
        elif etype == "less_than_equal":
            msg = f"must be at most {err.get('ctx', {}).get('le')}"
        elif etype == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") in (NAME_PATTERN, TEXT_PATTERN):
            msg = CONTROL_MESSAGE
        elif etype == "value_error":
            msg = str(err.get("ctx", {}).get("error", err.get("msg", "")))
        else:
            msg = _FRIENDLY.get(etype, err.get("msg", "is not valid"))
        out.setdefault(loc, msg)
    return out


def describe(exc: ValidationError) -> str:
    """All problems on one line: 'location: can't be empty; students: needs at least one'."""
    parts = []
    for loc, msg in friendly_errors(exc).items():
        parts.append(f"{loc.replace('_', ' ')}: {msg}" if loc else msg)
    return " ".join("; ".join(parts).split())  # one line, whatever the field names or messages hold
