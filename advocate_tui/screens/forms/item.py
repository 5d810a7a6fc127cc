"""One record opened (enter): every field with its label, its history, and what to do next.

Keys: e amend · x void · R refer from it (incidents, contact notes) · f follow up · o end it (a
follow-up done or dismissed, attendance resolved, a door exception cleared) · n incident from a door
exception · esc close.
Dismisses with the record as it is now (amended or voided) or None if nothing changed.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from collections.abc import Callable
from typing import Any

import pendulum
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...desk import Desk
from ...models import AuditAction, DoorCheck, Incident, Record
from ...models.records import RECORD_TYPES, IncidentStudent
from ...services import ends, recording
from ...widgets.literal import literal

#: fields not shown to a person
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


def _kind(record: Record) -> str:
    return record.kind.replace("_", " ").replace("followup", "follow-up").capitalize()


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
    bits = [_kind(record)]
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


def _exception_without_incident(record: Record) -> bool:
    return isinstance(record, DoorCheck) and record.is_exception and not record.voided and not record.incident_id


class ItemScreen(ModalScreen[Record | None]):
    """A record, readable in full, with its history; e amend · x void · R refer from it · f follow up."""

    DEFAULT_CSS = """
    ItemScreen { align: center middle; }
    ItemScreen > #item { width: 100%; max-width: 110; height: 100%; max-height: 40; border: thick $accent; background: $panel; }
    ItemScreen #item-title { dock: top; height: 1; background: $accent; color: $text; text-style: bold; padding: 0 1; }
    ItemScreen #item-body { height: 1fr; padding: 0 1; }
    ItemScreen .item-heading { margin-top: 1; text-style: bold; color: $accent; }
    ItemScreen .item-void { color: $error; text-style: bold; }
    ItemScreen #item-keys { dock: bottom; height: 1; color: $text-muted; padding: 0 1; background: $boost; }
    """
    #: priority: each acts as its key arrives (the view has no text field), so what is typed straight
    #: after goes to the screen it opens, never to this one's keys
    BINDINGS = [
        Binding("e", "amend", "Amend", priority=True),
        Binding("x", "void", "Void", priority=True),
        Binding("R", "refer", "Refer from it", priority=True),
        Binding("f", "follow_up", "Follow up", priority=True),
        Binding("o", "end", "End it", priority=True),
        Binding("n", "exception_incident", "Incident from the exception", priority=True),
        Binding("escape", "close", "Close"),
        Binding("i", "from_sweep('incident')", "Incident from the sweep", show=False, priority=True),
        Binding("c", "from_sweep('contact')", "Note from the sweep", show=False, priority=True),
    ]

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record
        self._changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="item"):
            yield Static("", id="item-title")
            with VerticalScroll(id="item-body"):
                yield Static("", id="item-fields")
                yield Static("Linked", classes="item-heading", id="item-linked-heading")
                yield Static("", id="item-linked")
                yield Static("History", classes="item-heading")
                yield Static("", id="item-history")
            yield Static("", id="item-keys")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        """(Re)draw the record and its history."""
        desk = self.app.desk
        record = self.record
        title = _kind(record) + (" · VOID" if record.voided else "") + (" · amended" if record.amended else "")
        self.query_one("#item-title", Static).update(literal(title, one_line=True))
        width = max((len(label) for label, _ in fields_of(desk, record)), default=10) + 2
        lines = [f"{label:<{width}}{value}" for label, value in fields_of(desk, record)]
        self.query_one("#item-fields", Static).update(literal("\n".join(lines)))
        self.query_one("#item-history", Static).update(literal("\n".join(history_lines(desk, record)) or "—"))
        linked = [summary(desk, r) + (" · VOID" if r.voided else "") for r in recording.linked_records(desk, record)]
        self.query_one("#item-linked", Static).update(literal("\n".join(linked)))
        self.query_one("#item-linked", Static).display = bool(linked)
        self.query_one("#item-linked-heading", Static).display = bool(linked)
        keys = []
        if not record.voided:
            from .base import FormScreen

            if FormScreen.for_record(record) is not None:
                keys.append("e amend")
            keys.append("x void")
            if isinstance(record, recording.REFERRAL_SOURCES):
                keys.append("R refer from it")
            if record.kind == "sweep":  # a hall sweep becomes an incident, a note or a referral (issue 14)
                keys.append("i incident · c note · R refer")
            elif record.student_ids():
                keys.append("f follow up")
            if _exception_without_incident(record):
                keys.append("n incident from it")
            end = ends.end_kind(desk, record)
            if end is not None:
                keys.append({ends.FOLLOW_UP: "o done / dismissed", ends.ATTENDANCE: "o resolve",
                             ends.DOOR: "o clear"}[end])
        keys.append("esc close")
        self.query_one("#item-keys", Static).update(" · ".join(keys))

    def _reload(self, saved: Record | None) -> None:
        if saved is None:
            return
        self._changed = True
        fresh = self.app.desk.store.get(RECORD_TYPES[self.record.kind], self.record.id)
        if fresh is not None:
            self.record = fresh
        self.show()

    def action_amend(self) -> None:
        from .base import FormScreen

        form = FormScreen.for_record(self.record)
        if self.record.voided or form is None:
            self.app.bell()
            return
        self.app.push_screen(form(record=self.record), self._reload)

    def action_void(self) -> None:
        if self.record.voided:
            self.app.bell()
            return
        from .void import VoidForm

        self.app.push_screen(VoidForm(self.record), self._reload)

    def action_end(self) -> None:
        """o: end the follow-up (done or dismissed), resolve the attendance follow-up, clear the door exception."""
        kind = ends.end_kind(self.app.desk, self.record)
        if kind is None:
            self.app.bell()
            return
        from .end import EndForm

        self.app.push_screen(EndForm(self.record, kind), self._reload)

    def action_exception_incident(self) -> None:
        """n on a door exception not yet an incident: the incident form filled in from it, linked once saved."""
        if not _exception_without_incident(self.record):
            self.app.bell()
            return
        from .door import incident_from_exception

        incident_from_exception(self.app, self.record, self._reload)

    def action_from_sweep(self, kind: str) -> None:
        """i, c, r on a hall sweep: a new incident, contact note or referral filled from it, linked back."""
        if self.record.kind != "sweep" or self.record.voided:
            self.app.bell()
            return
        from ...services import sweeps
        from .contact import ContactForm
        from .incident import IncidentForm
        from .referral import ReferralForm

        form = {"incident": IncidentForm, "contact": ContactForm, "referral": ReferralForm}[kind]
        self.app.push_screen(form(prefill=sweeps.prefill(self.app.desk, self.record, kind)), self._from_sweep)

    def _from_sweep(self, saved: Record | None) -> None:
        if saved is not None:
            from ...services import sweeps

            self.record = sweeps.link(self.app.desk, self.record.id, saved)
            self._followed(saved)

    def action_refer(self) -> None:
        if self.record.kind == "sweep":
            self.action_from_sweep("referral")
            return
        if not isinstance(self.record, recording.REFERRAL_SOURCES) or self.record.voided:
            self.app.bell()
            return
        from .referral import ReferralForm

        self.app.push_screen(ReferralForm.from_record(self.record), self._followed)

    def action_follow_up(self) -> None:
        if not self.record.student_ids() or self.record.voided:
            self.app.bell()
            return
        self.app.push_screen(FollowUpChoice(self._follow_up_kind))

    def _follow_up_kind(self, kind: str) -> None:
        """Open the follow-up form of this kind ("contact" or "attendance") over this view."""
        from .attendance import AttendanceForm
        from .contact import ContactForm

        prefill = recording.follow_up_prefill(self.record, kind)
        if kind == "contact":  # the note is started ("Follow-up: …"): the cursor goes on at its end
            form = ContactForm(prefill=prefill, start_at="note" if prefill.get("note") else None)
        else:
            form = AttendanceForm(prefill=prefill)
        self.app.push_screen(form, self._followed)

    def _followed(self, saved: Record | None) -> None:
        if saved is not None:
            self._changed = True
            self.show()

    def action_close(self) -> None:
        self.dismiss(self.record if self._changed else None)


class FollowUpChoice(ModalScreen[None]):
    """f on an item: c contact note or a attendance follow-up (esc: neither).

    The key closes this question and opens the form at once (a priority binding, and no result
    callback in between), so the words typed straight after ``c`` are already the form's."""

    DEFAULT_CSS = """
    FollowUpChoice { align: center middle; }
    FollowUpChoice > Static { width: 56; height: auto; border: thick $accent; background: $panel; padding: 1 2; }
    """
    BINDINGS = [
        Binding("c", "pick('contact')", "Contact note", priority=True),
        Binding("a", "pick('attendance')", "Attendance", priority=True),
        Binding("escape", "pick('')", "Cancel"),
    ]

    def __init__(self, open_form: Callable[[str], None]) -> None:
        super().__init__()
        #: opens the form of the kind picked (the item view's)
        self.open_form = open_form

    def compose(self) -> ComposeResult:
        yield Static("Follow up with:\n  c  a contact note\n  a  an attendance follow-up\n  esc  neither")

    def action_pick(self, kind: str) -> None:
        self.app.pop_screen()
        if kind:
            self.open_form(kind)
