"""A tardy or absent student to chase (Ed-Fi StudentSchoolAttendanceEvent)."""

from datetime import date
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Moment, Name, Record, StudentId, Text, check_not_before
from .enums import AttendanceAction, AttendanceKind, FollowUpStatus
from .follow_up import no_duplicates


class AttendanceFollowUp(Record):
    """A tardy or absent student to chase (Ed-Fi StudentSchoolAttendanceEvent)."""

    kind: ClassVar[str] = "attendance_followup"
    time_field: ClassVar[str] = "date"
    #: open -> resolved or dismissed, with what came of it; cause and actions are the advocate's (amended) words
    status_fields: ClassVar[frozenset[str]] = frozenset({"status", "resolved_at", "resolution"})

    student_id: StudentId
    date: date
    attendance_kind: AttendanceKind
    periods: list[Name] = Field(default_factory=list, max_length=20)
    cause: Text = ""
    actions: list[AttendanceAction] = Field(default_factory=list)
    status: FollowUpStatus = FollowUpStatus.OPEN
    due_date: date | None = None
    note: Text = ""
    resolved_at: Moment | None = None
    resolution: Text = Field("", description="What came of it (resolved) or why it was dismissed.")

    @field_validator("actions")
    @classmethod
    def _actions_once(cls, v: list[AttendanceAction]) -> list[AttendanceAction]:
        return no_duplicates(v, "action")

    @field_validator("periods")
    @classmethod
    def _periods_once(cls, v: list[str]) -> list[str]:
        return no_duplicates(v, "period")

    @model_validator(mode="after")
    def _dates_in_order(self) -> "AttendanceFollowUp":
        check_not_before(self.due_date, self.date, "due date is before the attendance date")
        if self.status is not FollowUpStatus.OPEN and not self.resolved_at:
            raise ValueError(f"a {self.status.value} follow-up needs the time it was {self.status.value}")
        return self

    def student_ids(self) -> list[str]:
        return [self.student_id]
