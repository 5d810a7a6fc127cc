"""The advocate's day's-end sign-off: what was handed to the coordinator (each kind's list of ids)."""

from datetime import date
from typing import ClassVar

from pydantic import Field

from .base import Moment, Name, Record, RecordId, Text


class Handoff(Record):
    """The advocate's day's-end sign-off: what was handed to the coordinator."""

    kind: ClassVar[str] = "handoff"
    time_field: ClassVar[str] = "signed_at"

    date: date
    sequence: int = Field(1, ge=1, le=99, description="1 for the day's first handoff, 2 for the next...")
    signed_by: Name
    signed_at: Moment
    summary: Text = ""
    referral_ids: list[RecordId] = Field(default_factory=list)
    incident_ids: list[RecordId] = Field(default_factory=list)
    attendance_ids: list[RecordId] = Field(default_factory=list)
    contact_note_ids: list[RecordId] = Field(default_factory=list)
    door_check_ids: list[RecordId] = Field(default_factory=list)
    patrol_round_ids: list[RecordId] = Field(default_factory=list)
    process_ids: list[RecordId] = Field(default_factory=list, description="Restorative processes changed since "
                                                                         "the last handoff (issue 12).")
