"""The referral form: students (each with a role, if known), destination, purpose, urgency, reason.

``r`` on the main screen always opens a new, empty referral with the cursor on Students.
``ReferralForm.from_record(record)`` (``R`` on the main screen or in the item view) opens one
pre-filled from an incident or a contact note: its students — an incident's with their roles —, a
reason and the link. The focus then starts on "To", and the line above says what was filled in;
any student can be taken out (↑ onto them, del) before saving.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from ...models import ContactNote, Incident, Record, Referral, ReferralPurpose, StudentRole, Urgency
from ...services import recording
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.literal import literal
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen


class ReferralForm(FormScreen):
    """New referral (``r``), one from an incident or contact note (``R``), or an amend; dismisses with
    the saved Referral."""

    FORM = "referral"
    RECORD_KIND = "referral"
    FORM_TITLE = "Referral"

    def __init__(self, record: Referral | None = None, prefill: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)

    @classmethod
    def from_record(cls, source: Record) -> "ReferralForm":
        """A new referral pre-filled from an incident or a contact note."""
        return cls(prefill=recording.referral_prefill(source))

    def compose_fields(self):
        profile = self.app.desk.profile
        roles = [(r.value, r.label) for r in StudentRole]
        yield Static("", id="referral-source", classes="field-hint")
        yield self.field("students", StudentPicker(roles=roles, ask_role=False), "Students",
                         hint="enter adds · ↑ onto a student: del removes them · enter on empty: next field")
        yield self.field("destination", Choice(profile.referral_destinations), "To",
                         hint="who it goes to: type the start of one (underlined), enter")
        yield self.field("purpose", Choice([(p.value, p.label) for p in ReferralPurpose]), "For")
        yield self.field("urgency", Choice([(u.value, u.label) for u in Urgency]), "Urgency")
        yield self.field("reason", FormInput(placeholder="why, in a line or two"), "Reason")
        yield self.field("when", WhenInput(), "When")

    def initial_values(self) -> dict[str, Any]:
        if self.record is not None:
            return recording.values_of(self.app.desk, self.record)
        return {"purpose": ReferralPurpose.CONFERENCE.value, "urgency": Urgency.ROUTINE.value}

    def on_mount(self) -> None:
        super().on_mount()
        desk = self.app.desk
        source = self.query_one("#referral-source", Static)
        incident_id, note_id = self.hidden.get("incident_id"), self.hidden.get("contact_note_id")
        incident = desk.store.get(Incident, incident_id) if incident_id else None
        note = desk.store.get(ContactNote, note_id) if note_id and incident is None else None
        if incident is not None:
            what = f"incident: {incident.behavior} · {incident.location} · {desk.clock.label(incident.occurred_at)}"
        elif note is not None:
            what = f"contact note: {note.contact_kind.label} · {desk.clock.label(note.at)}"
        if incident is not None or note is not None:
            filled = "students (with their roles) and reason" if incident is not None else "student and reason"
            source.update(literal(f"From {what} — {filled} filled in (shift+tab: take a student out); "
                                  f"pick who it goes to (To)"))
        source.display = incident is not None or note is not None

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return recording.check(self.app.desk, "referral", values, self.record)

    def save_values(self, values: dict[str, Any]) -> Record:
        return recording.save(self.app.desk, "referral", values, self.record)
