"""The incident form (quick log): students with roles, behaviour, note; the rest has defaults.

Focus order is built for speed: students (enter adds, a single key sets the role, enter on an
empty field moves on) → behaviour (a few letters, enter) → note → location (a letter or two, enter)
→ ctrl+s. Location is required and starts empty unless the form was opened from a source that knows
it (a patrol checkpoint, an amend, a prefill): guessing it would silently record wrong places. Time
defaults to now, level to the behaviour's level in the profile.
"""

from __future__ import annotations

from typing import Any

from textual import on

from ...models import Incident, IncidentAction, Level, Motivation, Record, StudentRole
from ...services import recording
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.staff_input import StaffInput
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen


def _options(enum) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum]


class IncidentForm(FormScreen):
    """New incident (``i``) or an amend of one (``e``); dismisses with the saved Incident."""

    FORM = "incident"
    RECORD_KIND = "incident"
    FORM_TITLE = "Incident"

    def __init__(self, record: Incident | None = None, prefill: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)
        self._level_touched = record is not None

    def compose_fields(self):
        profile = self.app.desk.profile
        roles = _options(StudentRole)
        yield self.field("students", StudentPicker(roles=roles, default_role=StudentRole.INVOLVED.value), "Students",
                         hint="enter adds, then the role by one key (r h w i) · enter on empty: next field")
        yield self.field("behavior", Choice([b.name for b in profile.behaviors], placeholder="type a behaviour"), "Behaviour")
        yield self.field("description", FormInput(placeholder="what happened, in a line"), "Note")
        yield self.field("location", Choice(profile.locations, placeholder="type a location"), "Location")
        yield self.field("when", WhenInput(past_of="an incident"), "When")
        yield self.field("level", Choice(_options(Level)), "Level")
        yield self.field("motivation", Choice(_options(Motivation)), "Motivation")
        yield self.field("actions", Choice(_options(IncidentAction), multiple=True, placeholder="type an action"),
                         "Actions")
        yield self.field("staff", StaffInput(profile.staff, multiple=True, placeholder="staff involved, comma separated"),
                         "Staff")
        yield self.field("follow_up", WhenInput(kind="date", empty_means=None), "Follow up")

    def initial_values(self) -> dict[str, Any]:
        desk = self.app.desk
        if self.record is not None:
            return recording.values_of(desk, self.record)
        return {"level": Level.MINOR.value,
                "motivation": Motivation.UNKNOWN.value}

    def on_mount(self) -> None:
        super().on_mount()
        if "level" in self.prefill:
            self._level_touched = True

    @on(Choice.Changed, "#field-level Choice")
    def _level_chosen(self) -> None:
        if not self._loading:
            self._level_touched = True

    @on(Choice.Changed, "#field-behavior Choice")
    def _behavior_chosen(self, event: Choice.Changed) -> None:
        if self._level_touched:
            return
        level = recording.behavior_level(self.app.desk, str(event.value))
        if level:
            self._fields["level"].widget.value = level

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return recording.check(self.app.desk, "incident", values, self.record)

    def save_values(self, values: dict[str, Any]) -> Record:
        return recording.save(self.app.desk, "incident", values, self.record)
