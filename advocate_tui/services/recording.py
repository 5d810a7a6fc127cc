"""Saving what the forms collect: build and validate records from form values, then add/amend/void.

Form values are plain data as typed (strings, lists, dicts), so they also fit a draft. Errors come
back as ``Invalid({field: message})`` keyed by the form's field names, in words a person
understands ("is not a time — try 10:40, -15m or P3"); the message leaves out the field's label.

Each kind builds its record from its form's values in its own module (:mod:`.kinds`: ``build``,
found by the form's name in ``save(desk, form, values, record=None)``), with the helpers here:

- incident: when, students [{student_id, role}], behavior, location, level, motivation,
  description, actions [..], staff ("a, b"), follow_up (date text)
- contact: student, when, contact_kind, note, follow_up, for_coordinator (bool)
- attendance: student, date, attendance_kind, periods ("P1 P2"), cause, actions [..], due, note
  (saved open; resolving is services.ends)
- referral: students [{student_id, role}] (or [ids]: no roles), when, destination, purpose, urgency,
  reason; incident_id, contact_note_id (hidden)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any


from ..clock import WhenError, parse_date, parse_when
from ..desk import Desk
from ..models import friendly_errors

if TYPE_CHECKING:
    from ..models.base import Record


class Invalid(ValueError):
    """Form values that can't be saved: ``errors`` maps a field name ('' = whole form) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k} {v}".strip() for k, v in errors.items()))
        self.errors = dict(errors)

    def summary(self) -> str:
        """One line: 'note can't be empty; when is not a time'."""
        return "; ".join(f"{k.replace('_', ' ')} {v}".strip() for k, v in self.errors.items())


PICK = "is required — type a few letters and press enter"

#: model field → form field, where they differ
_FIELD_OF = {
    "occurred_at": "when", "at": "when", "referred_at": "when", "student_id": "student",
    "follow_up_date": "follow_up", "due_date": "due", "description": "description",
}


# ------------------------------------------------------------------ parsing helpers
def _text(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


def _when(desk: Desk, values: dict[str, Any], key: str, errors: dict[str, str], keep=None):
    """The typed time; ``keep`` (an amended record's time) stays exact if its text was not changed."""
    text = _text(values, key)
    if keep is not None and text == when_text(desk, keep):
        return keep
    try:
        return parse_when(text, desk.clock)
    except WhenError as exc:
        errors[key] = str(exc)
        return None


#: how far ahead of the clock a logged time may be (clocks on two desks differ a little)
FUTURE_SLACK_MINUTES = 5


def too_late(desk: Desk, when, what: str) -> str | None:
    """Why ``when`` can't be the time of something logged after it happened (None if it can)."""
    now = desk.clock.now()
    if when is not None and when > now.add(minutes=FUTURE_SLACK_MINUTES):
        return f"is later than now ({now:%H:%M}) — {what} is logged after it happens"
    return None


def _past_when(desk: Desk, values: dict[str, Any], key: str, errors: dict[str, str], keep, what: str):
    """Like :func:`_when`, refusing a time more than a few minutes ahead of now (the text is kept)."""
    when = _when(desk, values, key, errors, keep)
    if when is not None and when is not keep and (problem := too_late(desk, when, what)):
        errors[key] = problem
    return when


def _date(desk: Desk, values: dict[str, Any], key: str, errors: dict[str, str], *, empty_none: bool = True):
    text = _text(values, key)
    if not text and empty_none:
        return None
    try:
        return parse_date(text, desk.clock)
    except WhenError as exc:
        errors[key] = str(exc)
        return None


def _required(values: dict[str, Any], key: str, errors: dict[str, str], message: str = PICK) -> str:
    text = _text(values, key)
    if not text:
        errors[key] = message
    return text


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[,;\s]+", text or "") if w]


def _validate(rtype: type[Record], data: dict[str, Any], errors: dict[str, str]) -> Record:
    from pydantic import ValidationError

    try:
        record = rtype.model_validate(data)
    except ValidationError as exc:
        for loc, message in friendly_errors(exc).items():
            head = loc.split(".")[0]
            errors.setdefault(_FIELD_OF.get(head, head), message)
        raise Invalid(errors) from None
    if errors:
        raise Invalid(errors)
    return record


def _base(record: Record | None) -> dict[str, Any]:
    return record.model_dump() if record is not None else {}


# ------------------------------------------------------------------ saving
def _builder(form: str) -> Callable[..., Record]:
    """The function that builds a record from the values of the form ``form`` (its kind's ``build``)."""
    from .kinds import kind_of_form  # (the kinds' modules build with this module's helpers)

    kind = kind_of_form(form)
    if kind is None or kind.build is None:
        raise KeyError(form)
    return kind.build


def check(desk: Desk, kind: str, values: dict[str, Any], record: Record | None = None) -> dict[str, str]:
    """The problems with a form's values, by field, without saving anything ({} if none)."""
    try:
        _builder(kind)(desk, values, record)
    except Invalid as exc:
        return dict(exc.errors)
    return {}


def save(desk: Desk, kind: str, values: dict[str, Any], record: Record | None = None) -> Record:
    """Validate the form's values and save them: a new record, or an amendment of ``record``.

    Returns the record as the store committed it (an unchanged amend returns ``record`` as is).
    Raises :class:`Invalid` for bad values and ``StoreError`` if the database refuses.
    """
    built = _builder(kind)(desk, values, record)
    if record is None:
        return desk.store.add(built)
    if _same(built, record):
        return record
    return desk.store.amend(built)


def _same(a: Record, b: Record) -> bool:
    skip = {"amended", "created_at", "created_by"}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


def void(desk: Desk, record: Record, reason: str) -> Record:
    """Void a record with a reason (required)."""
    if not (reason or "").strip():
        raise Invalid({"reason": "is required — say in a few words why this record is void"})
    if record.voided:
        raise Invalid({"": "this record is already void"})
    return desk.store.void(type(record), record.id, reason.strip())


# ------------------------------------------------------------------ defaults and prefills
def behavior_level(desk: Desk, behavior: str) -> str | None:
    """The level the profile gives a behaviour ('minor'/'major'), or None."""
    b = desk.profile.behavior_named(behavior) if behavior else None
    return b.level if b else None


def when_text(desk: Desk, moment) -> str:
    """A stored time as the form shows it for an amend ('2026-11-23 10:40', school zone)."""
    return desk.clock.local(moment).format("YYYY-MM-DD HH:mm") if moment else ""


def values_of(desk: Desk, record: Record) -> dict[str, Any]:
    """A record as its form's values (for an amend; {} for a kind without a form of values)."""
    from .kinds import kind_of

    kind = kind_of(record)
    return kind.values(desk, record) if kind is not None and kind.values is not None else {}


def referable(record: Record | None) -> bool:
    """True for a saved, not voided record a referral can be made from (an incident, a contact note); by
    its kind, so a record as stored (``store.stored.Stored``, a pane's row) is asked without validating it."""
    from .kinds.referral import REFERRAL_SOURCES

    return record is not None and any(record.kind == source.kind for source in REFERRAL_SOURCES) and not record.voided


def referral_prefill(record: Record) -> dict[str, Any]:
    """A referral's values from the record it is made from (see :func:`.kinds.referral.prefill_from`)."""
    from .kinds.referral import prefill_from

    return prefill_from(record)


def follow_up_prefill(record: Record, form: str) -> dict[str, Any]:
    """A new record's values (of the form ``form``: a contact note, an attendance follow-up) following up
    another record."""
    from .kinds import kind_of_form

    kind = kind_of_form(form)
    if kind is not None and kind.follow_up is not None:
        return kind.follow_up(record)
    ids = record.student_ids()
    return {"student": ids[0] if ids else ""}


def linked_records(desk: Desk, record: Record) -> list[Record]:
    """Records made from this one (referrals from an incident or note, an incident from a door exception)
    and the ones it names (the incident a referral came from…), each kind saying which."""
    from .kinds import kind_of, kinds

    own = kind_of(record)
    out = list(own.linked_to(desk, record)) if own is not None and own.linked_to is not None else []
    for kind in kinds():
        if kind.linking is not None:
            out += kind.linking(desk, record)
    return out
