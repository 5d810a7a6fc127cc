"""Saving what the forms collect: build and validate records from form values, then add/amend/void.

Form values are plain data as typed (strings, lists, dicts), so they also fit a draft. Errors come
back as ``Invalid({field: message})`` keyed by the form's field names, in words a person
understands ("is not a time — try 10:40, -15m or P3"); the message leaves out the field's label.

Form fields by kind (``save(desk, kind, values, record=None)``):

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
from typing import Any

from pydantic import ValidationError

from ..clock import WhenError, parse_date, parse_when
from ..desk import Desk
from ..models import (
    AttendanceFollowUp,
    ContactNote,
    DoorCheck,
    FollowUpStatus,
    Incident,
    Level,
    Record,
    Referral,
    friendly_errors,
)


class Invalid(ValueError):
    """Form values that can't be saved: ``errors`` maps a field name ('' = whole form) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k} {v}".strip() for k, v in errors.items()))
        self.errors = dict(errors)

    def summary(self) -> str:
        """One line: 'note can't be empty; when is not a time'."""
        return "; ".join(f"{k.replace('_', ' ')} {v}".strip() for k, v in self.errors.items())


PICK = "is required — type a few letters and press enter"

#: form kind → record type
RECORD_TYPES: dict[str, type[Record]] = {
    "incident": Incident, "contact": ContactNote, "attendance": AttendanceFollowUp, "referral": Referral,
}

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


# ------------------------------------------------------------------ builders
def build_incident(desk: Desk, values: dict[str, Any], record: Incident | None = None) -> Incident:
    """An Incident from the incident form's values (raises :class:`Invalid`)."""
    errors: dict[str, str] = {}
    when = _past_when(desk, values, "when", errors, record.occurred_at if record else None, "an incident")
    behavior = _required(values, "behavior", errors)
    location = _required(values, "location", errors)
    level = _text(values, "level")
    if not level and behavior and (b := desk.profile.behavior_named(behavior)):
        level = b.level
    students = [s if isinstance(s, dict) else {"student_id": s} for s in values.get("students") or []]
    data = {
        **_base(record), "occurred_at": when, "behavior": behavior, "location": location,
        "level": level or Level.MINOR.value, "motivation": _text(values, "motivation") or "unknown",
        "students": students, "description": _text(values, "description"),
        "actions": list(values.get("actions") or []),
        "staff": [s.strip() for s in _text(values, "staff").split(",") if s.strip()],
        "follow_up_date": _date(desk, values, "follow_up", errors),
    }
    if record is None:
        data["reported_at"] = desk.clock.now() if when is not None and when <= desk.clock.now() else None
    return _validate(Incident, data, errors)  # type: ignore[return-value]


def build_contact(desk: Desk, values: dict[str, Any], record: ContactNote | None = None) -> ContactNote:
    """A ContactNote from the contact form's values."""
    errors: dict[str, str] = {}
    student = _required(values, "student", errors, "is required — type a few letters of the name, then enter")
    when = _past_when(desk, values, "when", errors, record.at if record else None, "a contact note")
    note = _required(values, "note", errors, "can't be empty — one line is enough")
    data = {
        **_base(record), "student_id": student, "at": when, "contact_kind": _text(values, "contact_kind") or "check_in",
        "note": note, "follow_up_date": _date(desk, values, "follow_up", errors),
        "for_coordinator": bool(values.get("for_coordinator")),
    }
    return _validate(ContactNote, data, errors)  # type: ignore[return-value]


def build_attendance(desk: Desk, values: dict[str, Any],
                     record: AttendanceFollowUp | None = None) -> AttendanceFollowUp:
    """An AttendanceFollowUp from the attendance form's values."""
    errors: dict[str, str] = {}
    student = _required(values, "student", errors, "is required — type a few letters of the name, then enter")
    day = _date(desk, values, "date", errors, empty_none=False)
    kind = _required(values, "attendance_kind", errors)
    periods = []
    for word in _words(_text(values, "periods")):
        period = desk.profile.period_named(word)
        if period is None:
            names = ", ".join(p.name for p in desk.profile.bell_schedule)
            errors["periods"] = f'has no period "{word}" — periods are {names}'
        else:
            periods.append(period.name)
    # the status is not the form's: a follow-up starts open, and resolving it is a change of status
    # (services.ends), so an amendment keeps the record's status as it is
    data = {
        **_base(record), "student_id": student, "date": day, "attendance_kind": kind, "periods": periods,
        "cause": _text(values, "cause"), "actions": list(values.get("actions") or []),
        "due_date": _date(desk, values, "due", errors), "note": _text(values, "note"),
    }
    if record is None:
        data["status"] = FollowUpStatus.OPEN.value
    return _validate(AttendanceFollowUp, data, errors)  # type: ignore[return-value]


def build_referral(desk: Desk, values: dict[str, Any], record: Referral | None = None) -> Referral:
    """A Referral from the referral form's values."""
    errors: dict[str, str] = {}
    picked = values.get("students") or []
    students = [s["student_id"] if isinstance(s, dict) else s for s in picked]
    roles = [{"student_id": s["student_id"], "role": s["role"]} for s in picked if isinstance(s, dict) and s.get("role")]
    if not students:
        errors["students"] = "needs at least one student — type a few letters of a name, then enter"
    when = _when(desk, values, "when", errors, record.referred_at if record else None)
    destination = _required(values, "destination", errors)
    reason = _required(values, "reason", errors, "can't be empty — say in a line what the referral is for")
    data = {
        **_base(record), "referred_at": when, "students": students, "roles": roles, "destination": destination,
        "purpose": _text(values, "purpose") or "conference", "urgency": _text(values, "urgency") or "routine",
        "reason": reason, "incident_id": values.get("incident_id") or None,
        "contact_note_id": values.get("contact_note_id") or None,
    }
    return _validate(Referral, data, errors)  # type: ignore[return-value]


BUILDERS: dict[str, Callable[..., Record]] = {
    "incident": build_incident, "contact": build_contact, "attendance": build_attendance, "referral": build_referral,
}


# ------------------------------------------------------------------ saving
def check(desk: Desk, kind: str, values: dict[str, Any], record: Record | None = None) -> dict[str, str]:
    """The problems with a form's values, by field, without saving anything ({} if none)."""
    try:
        BUILDERS[kind](desk, values, record)
    except Invalid as exc:
        return dict(exc.errors)
    return {}


def save(desk: Desk, kind: str, values: dict[str, Any], record: Record | None = None) -> Record:
    """Validate the form's values and save them: a new record, or an amendment of ``record``.

    Returns the record as the store committed it (an unchanged amend returns ``record`` as is).
    Raises :class:`Invalid` for bad values and ``StoreError`` if the database refuses.
    """
    built = BUILDERS[kind](desk, values, record)
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
    """A record as form values (for an amend)."""
    d = record.model_dump(mode="json")
    day = lambda v: str(v) if v else ""  # noqa: E731
    if isinstance(record, Incident):
        return {"when": when_text(desk, record.occurred_at), "students": d["students"], "behavior": record.behavior,
                "location": record.location, "level": d["level"], "motivation": d["motivation"],
                "description": record.description, "actions": d["actions"], "staff": ", ".join(record.staff),
                "follow_up": day(record.follow_up_date)}
    if isinstance(record, ContactNote):
        return {"student": record.student_id, "when": when_text(desk, record.at), "contact_kind": d["contact_kind"],
                "note": record.note, "follow_up": day(record.follow_up_date), "for_coordinator": record.for_coordinator}
    if isinstance(record, AttendanceFollowUp):
        return {"student": record.student_id, "date": day(record.date), "attendance_kind": d["attendance_kind"],
                "periods": " ".join(record.periods), "cause": record.cause, "actions": d["actions"],
                "due": day(record.due_date), "note": record.note}
    if isinstance(record, Referral):
        students = [{"student_id": sid, "role": getattr(record.role_of(sid), "value", None)} for sid in record.students]
        return {"students": students, "when": when_text(desk, record.referred_at),
                "destination": record.destination, "purpose": d["purpose"], "urgency": d["urgency"],
                "reason": record.reason, "incident_id": record.incident_id, "contact_note_id": record.contact_note_id}
    return {}


def referral_prefill(record: Record) -> dict[str, Any]:
    """A referral's values from an incident (its students with their roles, a reason from what
    happened, the link) or from a contact note (its student, the note, the link)."""
    if isinstance(record, ContactNote):
        reason = f"{record.contact_kind.label}: {record.note}"
        return {"students": [{"student_id": record.student_id, "role": None}], "reason": reason[:4000],
                "contact_note_id": record.id}
    if not isinstance(record, Incident):
        raise ValueError(f"a referral is not made from a {record.kind}")
    reason = f"{record.behavior} ({record.location})"
    if record.description:
        reason += f": {record.description}"
    urgency = "soon" if record.level is Level.MAJOR else "routine"
    return {"students": [{"student_id": s.student_id, "role": s.role.value} for s in record.students],
            "reason": reason[:4000], "incident_id": record.id, "urgency": urgency}


#: the kinds of record a referral can be made from (``R`` on the main screen, in the item view)
REFERRAL_SOURCES = (Incident, ContactNote)


def follow_up_prefill(record: Record, kind: str) -> dict[str, Any]:
    """A contact note's or attendance follow-up's values from another record (incident, note...)."""
    ids = record.student_ids()
    first = ids[0] if ids else ""
    if kind == "contact":
        out: dict[str, Any] = {"student": first}
        if isinstance(record, Incident):
            out["contact_kind"] = "restorative_conversation"
            # ends in '. ' so what is typed straight after is a sentence of its own (the note is
            # stripped when saved: left as it is, it ends in '.')
            out["note"] = f"Follow-up: {record.behavior} ({record.location}). "
        return out
    out = {"student": first}
    if isinstance(record, AttendanceFollowUp):
        out.update({"attendance_kind": record.attendance_kind.value, "periods": " ".join(record.periods)})
    return out


def linked_records(desk: Desk, record: Record) -> list[Record]:
    """Records made from this one (referrals from an incident or note, an incident from a door exception)
    and the one it came from."""
    out: list[Record] = []
    if isinstance(record, Incident):
        out += desk.store.select(DoorCheck, "incident_id = ?", [record.id])
        out += desk.store.select(Referral, "incident_id = ?", [record.id])
    if isinstance(record, DoorCheck) and record.incident_id and (made := desk.store.get(Incident, record.incident_id)):
        out.append(made)
    if isinstance(record, ContactNote):
        out += desk.store.select(Referral, "contact_note_id = ?", [record.id])
    if isinstance(record, Referral):
        if record.incident_id and (incident := desk.store.get(Incident, record.incident_id)):
            out.append(incident)
        if record.contact_note_id and (note := desk.store.get(ContactNote, record.contact_note_id)):
            out.append(note)
    if record.kind == "sweep":  # a hall sweep and what it became (issue 14)
        made = ((Incident, record.incident_id), (ContactNote, record.contact_note_id), (Referral, record.referral_id))
        out += [r for cls, rid in made if rid and (r := desk.store.get(cls, rid)) is not None]
    return out
