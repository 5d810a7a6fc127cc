"""An incident (PBIS SWIS office/minor referral; Ed-Fi DisciplineIncident) and its students with their roles."""

from datetime import date
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Model, Moment, Name, Record, StudentId, Text, check_not_before
from .enums import FollowUpEnd, IncidentAction, Level, Motivation, StudentRole
from .follow_up import FOLLOW_UP_END_FIELDS, FollowUpOpen, check_end, no_duplicates


class IncidentStudent(Model):
    """One student in an incident, with their role."""

    student_id: StudentId
    role: StudentRole = StudentRole.INVOLVED


class Incident(FollowUpOpen, Record):
    """An incident (PBIS SWIS office/minor referral; Ed-Fi DisciplineIncident)."""

    kind: ClassVar[str] = "incident"
    time_field: ClassVar[str] = "occurred_at"
    #: a follow-up is ended by a change of status; everything else is the advocate's (amended) words
    status_fields: ClassVar[frozenset[str]] = FOLLOW_UP_END_FIELDS

    occurred_at: Moment
    reported_at: Moment | None = None
    location: Name
    behavior: Name = Field(description="Problem behavior, from the profile's categories.")
    level: Level = Level.MINOR
    motivation: Motivation = Motivation.UNKNOWN
    students: list[IncidentStudent] = Field(default_factory=list, max_length=40)
    staff: list[Name] = Field(default_factory=list, max_length=20)
    description: Text = ""
    actions: list[IncidentAction] = Field(default_factory=list)
    follow_up_date: date | None = None
    follow_up_end: FollowUpEnd | None = Field(None, description="How the follow-up ended; None while it is open.")
    follow_up_note: Text = Field("", description="What came of the follow-up (done) or why it was dismissed.")
    follow_up_ended_at: Moment | None = None

    @field_validator("students")
    @classmethod
    def _one_role_each(cls, v: list[IncidentStudent]) -> list[IncidentStudent]:
        no_duplicates([s.student_id for s in v], "student")
        return v

    @field_validator("actions")
    @classmethod
    def _actions_once(cls, v: list[IncidentAction]) -> list[IncidentAction]:
        return no_duplicates(v, "action")

    @model_validator(mode="after")
    def _times_in_order(self) -> "Incident":
        check_not_before(self.reported_at, self.occurred_at, "reported before it happened")
        check_not_before(self.follow_up_date, self.occurred_at.date(), "follow-up date is before the incident")
        check_end(self)
        return self

    def student_ids(self) -> list[str]:
        return [s.student_id for s in self.students]
