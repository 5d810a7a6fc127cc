"""A record in words, as the item view shows it: each field's label and value (students by name, times in school
time, lists joined), its one-line summary and the lines of its history."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

import pendulum

from ...desk import Desk
from ...models import AuditAction, Record
from ...models.records import IncidentStudent
from ...services.kinds import kind_of as registered_kind


_HIDDEN = {"id", "kind"}
#: fields shown only when they hold something
_ONLY_WHEN_SET = {"void_reason", "follow_up_end", "follow_up_note", "follow_up_ended_at", "resolution",
                  "incident_id"}
_LABELS = {
    "occurred_at": "When", "at": "When", "referred_at": "When", "reported_at": "Reported", "student_id": "Student",
    "contact_kind": "Kind", "attendance_kind": "Kind", "follow_up_date": "Follow up", "due_date": "Due",
    "for_coordinator": "For coordinator", "created_at": "Saved", "created_by": "Saved by",
    "void_reason": "Void reason", "incident_id": "From incident", "contact_note_id": "From contact note",
    "behavior": "Behaviour", "description": "Note", "destination": "To", "purpose": "For",
    "follow_up_end": "Follow-up ended", "follow_up_note": "Outcome", "follow_up_ended_at": "Ended at",
    "resolution": "Outcome", "resolved_at": "Ended at",
}


def _label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def kind_of(record: Record) -> str:
    """What a person calls the record's kind ("Door check", "Attendance follow-up")."""
    kind = registered_kind(record)
    if kind is not None and kind.title:
        return kind.title
    return record.kind.replace("_", " ").replace("followup", "follow-up").capitalize()


def kind_in_a_sentence(record: Record) -> str:
    """The kind inside a sentence ("Void this attendance follow-up"; a name as "CICO" keeps its capitals)."""
    name = kind_of(record)
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def format_value(desk: Desk, name: str, value: Any, students: dict) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return getattr(value, "label", str(value))
    if isinstance(value, dt.datetime):
        local = desk.clock.local(value)
        day = "" if local.date() == desk.clock.today() else f"{local:%a %d %b} · "
        return day + desk.clock.label(local)
    if isinstance(value, dt.date):
        return f"{value:%a %d %b %Y}"
    if name in ("student_id", "students") or (isinstance(value, list) and value and hasattr(value[0], "student_id")):
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            sid = getattr(item, "student_id", item)
            student = students.get(sid)
            text = desk.words.describe(student) if student else str(sid)
            role = getattr(item, "role", None)
            out.append(text + (f" — {role.label}" if role else ""))
        return "; ".join(out)
    if isinstance(value, list) and value and hasattr(value[0], "checkpoint"):
        return "\n" + "\n".join("  " + format_value(desk, name, v, students) for v in value)
    if isinstance(value, list):
        return ", ".join(format_value(desk, name, v, students) for v in value)
    if hasattr(value, "checkpoint"):  # a patrol checkpoint visit
        bits = [value.checkpoint, value.status.label, format_value(desk, "at", value.reached_at, {})]
        return " · ".join(bits + ([value.note] if value.note else []))
    if hasattr(value, "model_dump"):
        return ", ".join(f"{k}: {v}" for k, v in value.model_dump().items())
    return str(value)


def fields_of(desk: Desk, record: Record) -> list[tuple[str, str]]:
    """(label, value) for every field worth reading."""
    students = desk.store.students_by_id(record.student_ids())
    rows = []
    for name in type(record).model_fields:
        if name in _HIDDEN or (name in ("amended", "voided") and not getattr(record, name)):
            continue
        value = getattr(record, name)
        if name in _ONLY_WHEN_SET and not value:  # (a follow-up not ended, a check not made an incident)
            continue
        if name == "roles":  # shown with each student
            continue
        if name == "students" and hasattr(record, "role_of"):
            value = [IncidentStudent(student_id=s, role=role) if (role := record.role_of(s)) else s for s in value]
        rows.append((desk.words.label(_end_label(record, name)), format_value(desk, name, value, students)))
    return rows


def _end_label(record: Record, name: str) -> str:
    """A field's label; an end's line is the reason when the item was dismissed, else the outcome."""
    if name in ("follow_up_note", "resolution") and "dismissed" in (
            getattr(getattr(record, "follow_up_end", None), "value", ""),
            getattr(getattr(record, "status", None), "value", "")):
        return "Reason"
    return _label(name)


def summary(desk: Desk, record: Record) -> str:
    """One line: 'Incident · P3 · 10:42 · Defiance · Classroom · Ana Garcia (S1001 · gr 09 · H-101)'."""
    students = desk.store.students_by_id(record.student_ids())
    bits = [kind_of(record)]
    if record.when is not None:
        bits.append(format_value(desk, "when", record.when, {}))
    for name in ("behavior", "location", "contact_kind", "attendance_kind", "destination", "door", "zone"):
        value = getattr(record, name, None)
        if value:
            bits.append(format_value(desk, name, value, {}))
    names = [students[s].display_name if s in students else s for s in record.student_ids()]
    if names:
        bits.append(", ".join(names))
    text = getattr(record, "note", "") or getattr(record, "description", "") or getattr(record, "reason", "")
    if text:
        bits.append(str(text).splitlines()[0][:60])
    return " · ".join(bits)


def history_lines(desk: Desk, record: Record) -> list[str]:
    """Who did what when, oldest first; amendments list what changed."""
    lines = []
    for entry in desk.store.history(record.id):
        when = format_value(desk, "at", entry.at, {})
        what = {AuditAction.CREATE: "saved", AuditAction.AMEND: "amended", AuditAction.VOID: "voided",
                AuditAction.STATUS: "status changed"}.get(entry.action, entry.action.value.replace("_", " "))
        line = f"{when} · {entry.by or '—'} · {what}"
        if entry.before and entry.after:
            skip = {"amended", "voided", "void_reason", "created_at", "created_by"}
            changed = [k for k in entry.after if k not in skip and entry.before.get(k) != entry.after.get(k)]
            if changed:
                line += ": " + "; ".join(_change(k, entry.before.get(k), entry.after.get(k), desk) for k in changed)
        if entry.note and entry.action is AuditAction.VOID:
            line += f" — {entry.note}"
        lines.append(line)
    return lines


def _change(name: str, before: Any, after: Any, desk: Desk) -> str:
    """'Location Gym → Gym hallway'; a list that only grew (a patrol's checkpoints): 'Checkpoints + …'."""
    if isinstance(before, list) and isinstance(after, list) and after[:len(before)] == before and len(after) > len(before):
        return f"{_label(name)} + " + ", ".join(_item_text(v, desk) for v in after[len(before):])
    return f"{_label(name)} {_short(before, desk)} → {_short(after, desk)}"


def _item_text(value: Any, desk: Desk | None) -> str:
    """One item of a stored list as text: a student with their role, a checkpoint reached, a value."""
    if not isinstance(value, dict):
        return str(value)
    if "student_id" in value:
        return value["student_id"] + (f" ({value['role']})" if value.get("role") else "")
    if "checkpoint" in value:
        bits = [value["checkpoint"], str(value.get("status") or "")]
        if value.get("reached_at"):
            bits.append(_short(value["reached_at"], desk))
        if value.get("note"):
            bits.append(value["note"])
        if value.get("incident_id"):
            bits.append("made an incident")
        return " · ".join(b for b in bits if b)
    return ", ".join(f"{_label(k)} {v}" for k, v in value.items() if v not in (None, "", []))


def _short(value: Any, desk: Desk | None = None) -> str:
    if value in (None, "", []):
        return "—"
    if desk is not None and isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d.*", value):
        try:
            return format_value(desk, "at", pendulum.parse(value), {})
        except Exception:
            pass
    if isinstance(value, list):
        value = ", ".join(_item_text(v, desk) for v in value)
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else _cut_at_word(text, 40)


def _cut_at_word(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut at a word's edge with '…'."""
    cut = text[: width - 1]
    if " " in cut and not text[width - 1:width].isspace():
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;·") + "…"
