"""The common parts of every record: id, who made it and when, amend and void flags."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Short text that must not be blank once trimmed.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
StudentId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[^\s,;]+$")]
Moment = AwareDatetime


def new_id() -> str:
    """A new random record id (32 hex digits), unique across desks and databases."""
    return uuid.uuid4().hex


class Model(BaseModel):
    """Base of every model: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


class Record(Model):
    """A record the advocate saves: never silently changed, never deleted.

    A correction is an amendment (``amended``), a removal is a void with a reason; the earlier
    version of the record is kept in the audit trail.
    """

    kind: ClassVar[str] = "record"
    #: the record's own time field, used for "today" and ordering
    time_field: ClassVar[str] = "created_at"

    id: RecordId = Field(default_factory=new_id, description="Unique id of the record.")
    created_at: Moment | None = Field(None, description="When the record was first saved (school time).")
    created_by: ShortText = Field("", description="Who saved it (the desk's signed-in user).")
    amended: bool = Field(False, description="True once the record has been corrected.")
    voided: bool = Field(False, description="True once the record has been voided.")
    void_reason: Text | None = Field(None, description="Why it was voided (required when voided).")

    @model_validator(mode="after")
    def _void_needs_reason(self) -> "Record":
        if self.voided and not (self.void_reason or "").strip():
            raise ValueError("a voided record needs a reason")
        return self

    @property
    def when(self) -> datetime | date | None:
        """The record's own time (occurred, checked, started...)."""
        return getattr(self, self.time_field)

    def student_ids(self) -> list[str]:
        """The students this record is about (none for doors and patrols)."""
        return []


def check_not_before(later: Any, earlier: Any, what: str) -> None:
    """Raise a readable error when ``later`` comes before ``earlier``."""
    if later is not None and earlier is not None and later < earlier:
        raise ValueError(what)
