"""The hall sweep form: students met out of class together, in a few keys.

Students (several, enter adds), place and where they were sent (a single key each), pass or no pass (with
from and to when there is one), a note, and the time (now by default). The line under the students says
who is out for the third time this week and who is to be kept apart; after the save it is said again.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Static

from ...models import Record
from ...services import sweeps
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.literal import literal, plain
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen

PASS_OPTIONS = [("no", "No pass"), ("yes", "Has a pass")]  # n / h


class SweepForm(FormScreen):
    """New hall sweep (``s``); dismisses with the saved Sweep."""

    FORM = "sweep"
    FORM_TITLE = "Hall sweep"
    CSS_PATH = "../day.tcss"

    def __init__(self, prefill: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(prefill=prefill, **kwargs)

    def compose_fields(self):
        settings = self.app.desk.profile.sweeps
        yield self.field("students", StudentPicker(multiple=True), "Students",
                         hint="enter adds · enter on empty moves on · backspace removes")
        yield Static("", id="sweep-notes", classes="sweep-notes")
        yield self.field("place", Choice(settings.places), "Where")
        yield self.field("pass", Choice(PASS_OPTIONS), "Pass")
        yield self.field("pass_from", FormInput(placeholder="room or teacher (with a pass)"), "From")
        yield self.field("pass_to", FormInput(placeholder="where the pass was to"), "To")
        yield self.field("sent_to", Choice(settings.sent_to), "Sent to")
        yield self.field("note", FormInput(placeholder="optional, in a line"), "Note")
        yield self.field("when", WhenInput(past_of="a sweep"), "When")

    def initial_values(self) -> dict[str, Any]:
        settings = self.app.desk.profile.sweeps
        return {"pass": "no", "sent_to": settings.sent_to[0] if settings.sent_to else ""}

    @staticmethod
    def _service_values(values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "has_pass": values.get("pass") == "yes"}

    def save_values(self, values: dict[str, Any]) -> Record:
        saved = sweeps.log(self.app.desk, self._service_values(values))
        for line in sweeps.notes(self.app.desk, {s: n for s, n in saved.times.items()}, saved.keep_apart):
            self.app.notify(plain(line), severity="warning", markup=False, timeout=8)
        if saved.visits:
            self.app.notify(f"{len(saved.visits)} now in the Peace Room", markup=False)
        return saved.sweep

    @on(StudentPicker.Changed)
    def _students_changed(self, event: StudentPicker.Changed) -> None:
        ids = [s["student_id"] if isinstance(s, dict) else s for s in event.value or []]
        counts, pairs = sweeps.preview(self.app.desk, ids) if ids else ({}, [])
        lines = sweeps.notes(self.app.desk, counts, pairs)
        notes = self.query_one("#sweep-notes", Static)
        notes.update(literal("\n".join(lines)))
        notes.set_class(bool(lines), "-warn")


def made_from_item(view, sweep: Record, form: str) -> None:
    """i, c, R in the item view of a hall sweep: a new incident, contact note or referral filled from it,
    linked back to the sweep once saved."""
    if sweep.voided:
        view.app.bell()
        return
    from .contact import ContactForm
    from .incident import IncidentForm
    from .referral import ReferralForm

    cls = {"incident": IncidentForm, "contact": ContactForm, "referral": ReferralForm}[form]

    def saved(made: Record | None) -> None:
        if made is not None:
            view.record = sweeps.link(view.app.desk, sweep.id, made)
            view.followed(made)

    view.app.push_screen(cls(prefill=sweeps.prefill(view.app.desk, sweep, form)), saved)
