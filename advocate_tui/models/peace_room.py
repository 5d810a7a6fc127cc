"""A Peace Room visit: a student in the room to cool down, from time in (who sent them, why) to time out
(back to class or elsewhere). No Textual here."""

from typing import ClassVar

from pydantic import Field, model_validator

from .base import FreeLine, Moment, Name, Record, RecordId, ShortText, StudentId, Text, check_not_before


class PeaceRoomVisit(Record):
    """One student's visit to the Peace Room; open (in the room) until its time out is recorded."""

    kind: ClassVar[str] = "peace_room_visit"
    time_field: ClassVar[str] = "time_in"
    #: the student leaves: time out, back to class or not, where to and a word on how it went
    status_fields: ClassVar[frozenset[str]] = frozenset({"time_out", "returned_to_class", "went_to", "out_note"})

    student_id: StudentId
    time_in: Moment
    sent_by: ShortText = Field("", description="Who sent the student (a staff name, 'self', 'sweep').")
    reason: Name = Field(description="Why the student came (from the profile's peace_room_reasons).")
    period: ShortText = Field("", description="The bell period at time in ('' outside periods).")
    note: Text = ""
    sweep_id: RecordId | None = Field(None, description="The hall sweep that sent the student, if any.")
    time_out: Moment | None = None
    returned_to_class: bool | None = Field(None, description="At time out: True back to class, False elsewhere.")
    went_to: FreeLine = Field("", description="Where the student went when not back to class.")
    out_note: Text = ""

    @model_validator(mode="after")
    def _out_after_in(self) -> "PeaceRoomVisit":
        check_not_before(self.time_out, self.time_in, "time out is before time in")
        if self.time_out is not None and self.returned_to_class is None:
            raise ValueError("a visit that ended says whether the student went back to class")
        if self.time_out is None and (self.returned_to_class is not None or self.went_to):
            raise ValueError("where the student went is recorded with the time out")
        return self

    @property
    def in_room(self) -> bool:
        """True while the student is in the room (no time out yet)."""
        return self.time_out is None

    def student_ids(self) -> list[str]:
        return [self.student_id]
