"""The contact note form: one student, a kind (single key), a note; time defaults to now."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox

from ...models import ContactKind, ContactNote, Record
from ...services import recording
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen


class ContactForm(FormScreen):
    """New contact note (``c``) or an amend; dismisses with the saved ContactNote."""

    FORM = "contact"
    RECORD_KIND = "contact_note"
    FORM_TITLE = "Contact note"

    def __init__(self, record: ContactNote | None = None, prefill: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)

    def compose_fields(self):
        yield self.field("student", StudentPicker(), "Student")
        yield self.field("contact_kind", Choice([(k.value, k.label) for k in ContactKind]), "Kind")
        yield self.field("note", FormInput(placeholder="what was said or done, in a line"), "Note")
        yield self.field("when", WhenInput(past_of="a contact note"), "When")
        yield self.field("follow_up", WhenInput(kind="date", empty_means=None), "Follow up")
        yield self.field("for_coordinator", Checkbox("flag for the coordinator at handoff", compact=True), "Coordinator")

    def initial_values(self) -> dict[str, Any]:
        if self.record is not None:
            return recording.values_of(self.app.desk, self.record)
        return {}

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return recording.check(self.app.desk, "contact", values, self.record)

    def save_values(self, values: dict[str, Any]) -> Record:
        return recording.save(self.app.desk, "contact", values, self.record)
