"""The referral form: students, destination, purpose, urgency (single keys), reason.

``ReferralForm.from_incident(incident)`` opens one pre-filled from an incident (students, reason,
link to the incident); the focus then starts on "To", and the line above and the keys line say so.
Letters typed into "To" pick only a destination they unambiguously start ("no match" otherwise).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from ...models import Incident, Record, Referral, ReferralPurpose, Urgency
from ...services import recording
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.literal import literal
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen


class ReferralForm(FormScreen):
    """New referral (``r``), one from an incident, or an amend; dismisses with the saved Referral."""

    FORM = "referral"
    RECORD_KIND = "referral"
    FORM_TITLE = "Referral"

    def __init__(self, record: Referral | None = None, prefill: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)

    @classmethod
    def from_incident(cls, incident: Incident) -> "ReferralForm":
        """A new referral pre-filled from an incident."""
        return cls(prefill=recording.referral_prefill(incident))

    def compose_fields(self):
        profile = self.app.desk.profile
        yield Static("", id="referral-source", classes="field-hint")
        yield self.field("students", StudentPicker(multiple=True), "Students",
                         hint="enter adds · enter on empty moves on · backspace removes")
        yield self.field("destination", Choice(profile.referral_destinations), "To",
                         hint="who it goes to: type the underlined start of one")
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
        incident_id = self.hidden.get("incident_id")
        source = self.query_one("#referral-source", Static)
        incident = self.app.desk.store.get(Incident, incident_id) if incident_id else None
        if incident is not None:
            source.update(literal(f"From incident: {incident.behavior} · {incident.location} · "
                                  f"{self.app.desk.clock.label(incident.occurred_at)} — students and reason filled "
                                  f"in; pick who it goes to (To)"))
            if not self.values().get("destination"):
                self.query_one("#form-keys", Static).update("To: type the start of a destination (underlined) · "
                                                            "ctrl+s save · esc cancel")
        source.display = incident is not None

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return recording.check(self.app.desk, "referral", values, self.record)

    def save_values(self, values: dict[str, Any]) -> Record:
        return recording.save(self.app.desk, "referral", values, self.record)
