"""A referral to the coordinator, counselor, social worker, nurse, admin or an agency."""

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Moment, Name, NonEmptyText, Record, RecordId, ShortText, StudentId, Text, check_not_before
from .enums import ReferralOutcome, ReferralPurpose, ReferralStatus, StudentRole, Urgency
from .follow_up import no_duplicates
from .incident import IncidentStudent


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
        return no_duplicates(v, "student")

    @model_validator(mode="after")
    def _status_consistent(self) -> "Referral":
        given = [r.student_id for r in self.roles]
        no_duplicates(given, "role of student")
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
