"""The common parts of every record: id, who made it and when, amend and void flags."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from .. import pydantic_plugins  # noqa: F401  (no pydantic plugin: before any model is built)
from .kinds import STORED  # noqa: F401  (where it was first; its home is .kinds)
from .text import CONTROLS, NAME_PATTERN, TEXT_PATTERN, stored_line, without_controls



def _clean_if_stored(value: Any, info: ValidationInfo) -> Any:
    # (a printable text holds none of the characters cleaned: every one of them is a control, format or
    # separator character; asked first, it spares ~8 field checks a record read, ~2,000 at a decade's start)
    if isinstance(value, str) and not value.isprintable() and info.context and info.context.get("stored"):
        return stored_line(value)
    return value


def _clean_text(value: Any) -> Any:
    """Notes keep their tabs and line breaks and drop terminal codes and other control characters
    (what a terminal showed of a pasted note is kept, nothing else)."""
    return without_controls(value) if isinstance(value, str) else value


# One-line text (names, places, labels, numbers): a control character, tab, line break or terminal
# code is refused (NAME_PATTERN), with the message in errors.py.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NAME_PATTERN),
                 BeforeValidator(_clean_if_stored)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=NAME_PATTERN),
                      BeforeValidator(_clean_if_stored)]


class FreeLineMark:
    """Marks a one-line field a person types freely (a circle's group, a meeting's place, an agreement's
    partner): it may name a student, so a de-identified export treats it as free text (roster names → [name])."""


#: One line typed freely (see :class:`FreeLineMark`), as :data:`ShortText`.
FreeLine = Annotated[ShortText, FreeLineMark()]
# Free text (notes, reasons, summaries): tabs and line breaks only; other control characters are dropped.
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000, pattern=TEXT_PATTERN),
                 BeforeValidator(_clean_text)]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000,
                                                pattern=TEXT_PATTERN), BeforeValidator(_clean_text)]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
#: A school's student number is at most this long (a roster's id, what a form takes).
STUDENT_NUMBER_MAX = 32
#: A school's short name (its profile's slug): what a coordinator's database knows the school by.
SCHOOL_SHORT_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SCHOOL_SHORT_MAX = 100
SchoolShort = Annotated[str, StringConstraints(min_length=1, max_length=SCHOOL_SHORT_MAX, pattern=SCHOOL_SHORT_PATTERN)]
# A student as records name them: the school's number, or in a coordinator's database, which serves
# several schools that may use the same numbers, "<school short name>:<number>" (see Student.school).
StudentId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=SCHOOL_SHORT_MAX + 1 + STUDENT_NUMBER_MAX,
                                             pattern=rf"^[^\s,;{CONTROLS}]+$"), BeforeValidator(_clean_if_stored)]
Moment = AwareDatetime


def new_id() -> str:
    """A new record id (32 hex digits), unique across desks and databases: a UUID version 7 (RFC 9562,
    from the ``uuid6`` package), the time of its making in milliseconds then random bits, each later
    than the one before in this process (even within one millisecond, or when the clock steps back).
    Ids made later sort later, so a new record's entries go at the end of every index on an id (the
    record's own, its audit entries', its student links') instead of at a random place in one: a random
    place in a full page splits it, and a quick log on the decade's file wrote 50-80 pages of 4 KiB
    where it now writes ~25 (its commit waits for them all to reach the disk). Ids made before stay as
    they are (random version 4 UUIDs)."""
    from uuid6 import uuid7

    return uuid7().hex


class Model(BaseModel):
    """Base of every model: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False, defer_build=True)


class Record(Model):
    """A record the advocate saves: never silently changed, never deleted.

    A correction is an amendment (``amended``), a removal is a void with a reason; the earlier
    version of the record is kept in the audit trail.
    """

    kind: ClassVar[str] = "record"
    #: the record's own time field, used for "today" and ordering
    time_field: ClassVar[str] = "created_at"
    #: the fields a status change (``Store.set_status``) may change; any other change is an amendment
    status_fields: ClassVar[frozenset[str]] = frozenset()

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
