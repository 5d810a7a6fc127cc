"""One check of an exterior door (the door-check list of a shift)."""

from typing import ClassVar

from pydantic import Field, model_validator

from .base import Moment, Name, Record, RecordId, ShortText, Text
from .enums import DoorStatus


class DoorCheck(Record):
    """One check of an exterior door."""

    kind: ClassVar[str] = "door_check"
    time_field: ClassVar[str] = "checked_at"
    #: an exception later made an incident (linked by a change of status, like a patrol issue)
    status_fields: ClassVar[frozenset[str]] = frozenset({"incident_id"})

    door: Name
    checked_at: Moment
    status: DoorStatus = DoorStatus.SECURE
    note: Text = ""
    checked_by: ShortText = ""
    incident_id: RecordId | None = Field(None, description="The incident this exception became, if any.")

    @model_validator(mode="after")
    def _exception_needs_note(self) -> "DoorCheck":
        if self.status is not DoorStatus.SECURE and not self.note:
            raise ValueError(f"a door found {self.status.label.lower()} needs a note")
        return self

    @property
    def is_exception(self) -> bool:
        return self.status.is_exception
