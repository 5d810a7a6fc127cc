"""A note of a contact with a student (a check-in, a restorative conversation, a call home…)."""

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from .base import Moment, NonEmptyText, Record, StudentId, Text, check_not_before
from .enums import ContactKind, FollowUpEnd
from .follow_up import FOLLOW_UP_END_FIELDS, FollowUpOpen, check_end


class ContactNote(FollowUpOpen, Record):
    """A note of a contact with a student."""

    kind: ClassVar[str] = "contact_note"
    time_field: ClassVar[str] = "at"
    status_fields: ClassVar[frozenset[str]] = FOLLOW_UP_END_FIELDS

    student_id: StudentId
    at: Moment
    contact_kind: ContactKind = ContactKind.CHECK_IN
    note: NonEmptyText
    follow_up_date: date | None = None
    for_coordinator: bool = Field(False, description="Flagged for the coordinator at handoff.")
    follow_up_end: FollowUpEnd | None = Field(None, description="How the follow-up ended; None while it is open.")
    follow_up_note: Text = Field("", description="What came of the follow-up (done) or why it was dismissed.")
    follow_up_ended_at: Moment | None = None

    @model_validator(mode="after")
    def _follow_up_later(self) -> "ContactNote":
        check_not_before(self.follow_up_date, self.at.date(), "follow-up date is before the contact")
        check_end(self)
        return self

    def student_ids(self) -> list[str]:
        return [self.student_id]
