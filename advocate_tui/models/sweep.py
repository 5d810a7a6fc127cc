"""A hall sweep: students met out of class together, at one time and place, each with or without a pass
and sent somewhere (back to class, the office, the nurse, the Peace Room...). No Textual here."""

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Model, Moment, Name, Record, RecordId, ShortText, StudentId, Text


class SweepStudent(Model):
    """One student met on a sweep: their pass (where from and to, when they had one) and where they were sent."""

    student_id: StudentId
    has_pass: bool = Field(False, description="True when the student had a hall pass.")
    pass_from: ShortText = Field("", description="Where the pass was from (a room or teacher), when there was one.")
    pass_to: ShortText = Field("", description="Where the pass was to, when there was one.")
    sent_to: Name = Field(description="Where the student was sent (from the profile's sweep_sent_to).")

    @model_validator(mode="after")
    def _pass_places_only_with_a_pass(self) -> "SweepStudent":
        if not self.has_pass and (self.pass_from or self.pass_to):
            raise ValueError("a pass's from and to are given only when the student had a pass")
        return self


class Sweep(Record):
    """Students met out of class on a hall sweep (one entry for students met together)."""

    kind: ClassVar[str] = "sweep"
    time_field: ClassVar[str] = "met_at"
    #: a sweep entry later became an incident, a contact note or a referral (linked by a change of status)
    status_fields: ClassVar[frozenset[str]] = frozenset({"incident_id", "contact_note_id", "referral_id"})

    met_at: Moment
    place: Name = Field(description="Where the students were met (from the profile's sweep_places).")
    students: list[SweepStudent] = Field(min_length=1, max_length=20)
    note: Text = ""
    incident_id: RecordId | None = Field(None, description="The incident this entry became, if any.")
    contact_note_id: RecordId | None = Field(None, description="The contact note this entry became, if any.")
    referral_id: RecordId | None = Field(None, description="The referral this entry became, if any.")

    @field_validator("students")
    @classmethod
    def _students_once(cls, v: list[SweepStudent]) -> list[SweepStudent]:
        seen: set[str] = set()
        for s in v:
            if s.student_id in seen:
                raise ValueError(f"student {s.student_id} is listed twice")
            seen.add(s.student_id)
        return v

    def student_ids(self) -> list[str]:
        return [s.student_id for s in self.students]
