"""The records the advocate saves during a shift."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Model, Moment, Name, NonEmptyText, Record, RecordId, ShortText, StudentId, Text, check_not_before
from .process import Process
from .enums import (
    AttendanceAction,
    AttendanceKind,
    CheckpointStatus,
    ContactKind,
    DoorStatus,
    FollowUpEnd,
    FollowUpStatus,
    IncidentAction,
    Level,
    Motivation,
    ReferralOutcome,
    ReferralPurpose,
    ReferralStatus,
    StudentRole,
    Urgency,
)


def _no_duplicates(values: list, what: str) -> list:
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{what} {getattr(v, 'value', v)!s} is listed twice")
        seen.add(v)
    return values


def _check_end(record: "Incident | ContactNote") -> None:
    """An ended follow-up says how (its outcome, or why it was dismissed) and when."""
    if record.follow_up_end is not None:
        if not record.follow_up_note:
            raise ValueError("an ended follow-up needs its outcome or the reason it was dismissed")
        if record.follow_up_ended_at is None:
            raise ValueError("an ended follow-up needs the time it ended")


#: the fields a follow-up's end changes (a status change, not an amendment)
FOLLOW_UP_END_FIELDS = frozenset({"follow_up_end", "follow_up_note", "follow_up_ended_at"})


class IncidentStudent(Model):
    """One student in an incident, with their role."""

    student_id: StudentId
    role: StudentRole = StudentRole.INVOLVED


class Incident(Record):
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
        _no_duplicates([s.student_id for s in v], "student")
        return v

    @field_validator("actions")
    @classmethod
    def _actions_once(cls, v: list[IncidentAction]) -> list[IncidentAction]:
        return _no_duplicates(v, "action")

    @model_validator(mode="after")
    def _times_in_order(self) -> "Incident":
        check_not_before(self.reported_at, self.occurred_at, "reported before it happened")
        check_not_before(self.follow_up_date, self.occurred_at.date(), "follow-up date is before the incident")
        _check_end(self)
        return self

    @property
    def follow_up_open(self) -> bool:
        """True while a follow-up date is set and the follow-up has not ended."""
        return self.follow_up_date is not None and self.follow_up_end is None

    def student_ids(self) -> list[str]:
        return [s.student_id for s in self.students]


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
        return self.status is not DoorStatus.SECURE


class CheckpointVisit(Model):
    """A checkpoint reached on a patrol round."""

    checkpoint: Name
    reached_at: Moment
    status: CheckpointStatus = CheckpointStatus.CLEAR
    note: Text = ""
    incident_id: RecordId | None = Field(None, description="The incident this issue became, if any.")

    @model_validator(mode="after")
    def _issue_needs_note(self) -> "CheckpointVisit":
        if self.status is CheckpointStatus.ISSUE and not self.note:
            raise ValueError("an issue at a checkpoint needs a note")
        return self


class PatrolRound(Record):
    """A round of one patrol zone, checkpoint by checkpoint."""

    kind: ClassVar[str] = "patrol_round"
    time_field: ClassVar[str] = "started_at"
    #: a round goes on checkpoint by checkpoint (an issue later linked to its incident), then finishes
    status_fields: ClassVar[frozenset[str]] = frozenset({"checkpoints", "finished_at"})

    zone: Name
    started_at: Moment
    finished_at: Moment | None = None
    checkpoints: list[CheckpointVisit] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _finish_after_start(self) -> "PatrolRound":
        check_not_before(self.finished_at, self.started_at, "finished before it started")
        for visit in self.checkpoints:
            check_not_before(visit.reached_at, self.started_at, f"{visit.checkpoint} reached before the round started")
        return self

    @property
    def issues(self) -> list[CheckpointVisit]:
        return [c for c in self.checkpoints if c.status is CheckpointStatus.ISSUE]


class ContactNote(Record):
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
        _check_end(self)
        return self

    @property
    def follow_up_open(self) -> bool:
        """True while a follow-up date is set and the follow-up has not ended."""
        return self.follow_up_date is not None and self.follow_up_end is None

    def student_ids(self) -> list[str]:
        return [self.student_id]


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
        return _no_duplicates(v, "action")

    @field_validator("periods")
    @classmethod
    def _periods_once(cls, v: list[str]) -> list[str]:
        return _no_duplicates(v, "period")

    @model_validator(mode="after")
    def _dates_in_order(self) -> "AttendanceFollowUp":
        check_not_before(self.due_date, self.date, "due date is before the attendance date")
        if self.status is not FollowUpStatus.OPEN and not self.resolved_at:
            raise ValueError(f"a {self.status.value} follow-up needs the time it was {self.status.value}")
        return self

    def student_ids(self) -> list[str]:
        return [self.student_id]


class Referral(Record):
    """A referral to the coordinator, counselor, social worker, nurse, admin or an agency."""

    kind: ClassVar[str] = "referral"
    time_field: ClassVar[str] = "referred_at"
    #: the handoff and the coordinator's work; who, why and for what stay as the advocate wrote them
    status_fields: ClassVar[frozenset[str]] = frozenset({
        "status", "handoff_id", "handed_off_at", "accepted_at", "closed_at", "facilitator", "scheduled_for",
        "outcome", "outcome_note", "place", "coordinator_note", "decided_at",
    })

    referred_at: Moment
    students: list[StudentId] = Field(min_length=1, max_length=40)
    roles: list[IncidentStudent] = Field(
        default_factory=list, max_length=40,
        description="Each student's part, where known (a referral made from an incident keeps the incident's roles).")
    destination: Name
    purpose: ReferralPurpose = ReferralPurpose.CONFERENCE
    urgency: Urgency = Urgency.ROUTINE
    reason: NonEmptyText
    incident_id: RecordId | None = None
    contact_note_id: RecordId | None = None
    status: ReferralStatus = ReferralStatus.NEW
    handoff_id: RecordId | None = None
    handed_off_at: Moment | None = None
    accepted_at: Moment | None = None
    closed_at: Moment | None = None
    facilitator: ShortText | None = None
    scheduled_for: Moment | None = None
    place: ShortText | None = Field(None, description="Where the scheduled meeting is (a room).")
    outcome: ReferralOutcome | None = None
    outcome_note: Text = Field("", description="What was agreed or done; for a declined referral, the reason.")
    coordinator_note: Text = Field("", description="The coordinator's note for the school's advocate.")
    decided_at: Moment | None = Field(None, description="When the coordinator last changed the referral (its "
                                                        "decision, schedule or note): a reply older than this "
                                                        "never sets it back.")

    @field_validator("students")
    @classmethod
    def _students_once(cls, v: list[str]) -> list[str]:
        return _no_duplicates(v, "student")

    @model_validator(mode="after")
    def _status_consistent(self) -> "Referral":
        given = [r.student_id for r in self.roles]
        _no_duplicates(given, "role of student")
        stray = [sid for sid in given if sid not in self.students]
        if stray:
            raise ValueError(f"a role is given for student {stray[0]}, who is not in the referral")
        if self.status is ReferralStatus.CLOSED and self.outcome is None:
            raise ValueError("a closed referral needs an outcome")
        if self.status is not ReferralStatus.NEW and self.handed_off_at is None and self.handoff_id:
            raise ValueError("a handed-off referral needs the time it was handed off")
        check_not_before(self.closed_at, self.referred_at, "closed before it was made")
        return self

    def student_ids(self) -> list[str]:
        return list(self.students)

    def role_of(self, student_id: str) -> StudentRole | None:
        """The student's part in the referral, if given."""
        return next((r.role for r in self.roles if r.student_id == student_id), None)


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


RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls for cls in (Incident, DoorCheck, PatrolRound, ContactNote, AttendanceFollowUp, Referral, Handoff,
                              Process)
}

__all__ = [
    "FOLLOW_UP_END_FIELDS", "IncidentStudent", "Incident", "DoorCheck", "CheckpointVisit", "PatrolRound", "ContactNote",
    "AttendanceFollowUp", "Referral", "Handoff", "RECORD_TYPES", "ShortText", "Text",
]

# The rest of the advocate's day (issue 14), each its own record kind: hall sweeps, Peace Room visits,
# CICO enrolments and daily cards. (Imported here, below the records they sit beside, so the kinds are
# known wherever RECORD_TYPES is; a kind registry may gather them later.)
from .cico import CicoDay, CicoEnrolment  # noqa: E402
from .peace_room import PeaceRoomVisit  # noqa: E402
from .sweep import Sweep  # noqa: E402

DAY_RECORD_TYPES: tuple[type[Record], ...] = (Sweep, PeaceRoomVisit, CicoEnrolment, CicoDay)
RECORD_TYPES.update({cls.kind: cls for cls in DAY_RECORD_TYPES})
