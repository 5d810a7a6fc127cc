"""The Peace Room's two forms: a student comes in (student, why, who sent them, a note, the time) and a
student leaves when not simply back to class (where they went, a note, the time)."""

from __future__ import annotations

from typing import Any

from ...models import Record
from ...models.peace_room import PeaceRoomVisit
from ...services import peace_room
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.staff_input import StaffInput
from ...widgets.student_picker import StudentPicker
from ...widgets.when_input import WhenInput
from .base import FormScreen

BACK_OPTIONS = [("yes", "Back to class"), ("no", "Elsewhere")]


class PeaceRoomInForm(FormScreen):
    """A student comes into the Peace Room (``n`` on the Peace Room screen); dismisses with the visit."""

    FORM = "peace_room_in"
    FORM_TITLE = "Peace Room visit"

    def compose_fields(self):
        profile = self.app.desk.profile
        yield self.field("student", StudentPicker(), "Student")
        yield self.field("reason", Choice(profile.peace_room.reasons), "Why")
        yield self.field("sent_by", StaffInput(profile.staff, placeholder="staff name, or self"), "Sent by")
        yield self.field("note", FormInput(placeholder="optional, in a line"), "Note")
        yield self.field("when", WhenInput(past_of="a Peace Room visit"), "Time in")

    def save_values(self, values: dict[str, Any]) -> Record:
        return peace_room.check_in(self.app.desk, values)


class PeaceRoomOutForm(FormScreen):
    """A student leaves the Peace Room (``o``): back to class or where they went; dismisses with the visit."""

    FORM = "peace_room_out"
    FORM_TITLE = "Time out"
    DRAFTS = False

    def __init__(self, visit: PeaceRoomVisit, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.visit = visit

    @property
    def title_text(self) -> str:
        return "Time out of the Peace Room"

    def compose_fields(self):
        yield self.field("returned", Choice(BACK_OPTIONS), "Went")
        yield self.field("went_to", FormInput(placeholder="where, when not back to class"), "Where to")
        yield self.field("note", FormInput(placeholder="optional: how it went"), "Note")
        yield self.field("when", WhenInput(past_of="a time out"), "Time out")

    def initial_values(self) -> dict[str, Any]:
        return {"returned": "yes"}

    def save_values(self, values: dict[str, Any]) -> Record:
        return peace_room.check_out(self.app.desk, self.visit, returned_to_class=values.get("returned") != "no",
                                    went_to=values.get("went_to") or "", note=values.get("note") or "",
                                    when=values.get("when") or "")
