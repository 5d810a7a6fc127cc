"""The attendance follow-up form: student, kind (single key), date and periods, cause, actions.

A follow-up is saved open; resolving it is its own action (``o`` on the main screen or the item view,
:mod:`.end`), a change of status rather than an amendment, so the form has no status field."""

from __future__ import annotations

from typing import Any

from ...models import AttendanceAction, AttendanceFollowUp, AttendanceKind, Record
from ...services import recording
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen


class AttendanceForm(FormScreen):
    """New attendance follow-up (``a``) or an amend; dismisses with the saved AttendanceFollowUp."""

    FORM = "attendance"
    RECORD_KIND = "attendance_followup"
    FORM_TITLE = "Attendance follow-up"
    skip_autofocus = ("when", "date", "periods", "cause", "actions", "due", "note")

    def __init__(self, record: AttendanceFollowUp | None = None, prefill: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)

    def compose_fields(self):
        periods = " ".join(p.name for p in self.app.desk.profile.bell_schedule)
        yield self.field("student", StudentPicker(), "Student")
        yield self.field("attendance_kind", Choice([(k.value, k.label) for k in AttendanceKind]), "Kind")
        yield self.field("date", WhenInput(kind="date", empty_means="today"), "Date")
        yield self.field("periods", FormInput(placeholder=periods), "Periods")
        yield self.field("cause", FormInput(placeholder="cause found, if any"), "Cause")
        yield self.field("actions", Choice([(a.value, a.label) for a in AttendanceAction], multiple=True), "Actions")
        yield self.field("due", WhenInput(kind="date", empty_means=None), "Due")
        yield self.field("note", FormInput(placeholder="plan or what happened"), "Note")

    def initial_values(self) -> dict[str, Any]:
        if self.record is not None:
            return recording.values_of(self.app.desk, self.record)
        return {}

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return recording.check(self.app.desk, "attendance", values, self.record)

    def save_values(self, values: dict[str, Any]) -> Record:
        return recording.save(self.app.desk, "attendance", values, self.record)
