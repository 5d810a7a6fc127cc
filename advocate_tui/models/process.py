"""A restorative process: from a referral (or an incident, or nothing for a Tier 1 circle) to harm repaired.

One record holds the whole process, as the coordinator works it: the parties (students from the
roster, adults by name and relation) with their roles, preparation, acknowledgment, willingness,
consent to share, the harmed party's wishes and any safety concern; the meetings (planned, then
held); the agreement's items (reparation and community projects among them) with their status; the
follow-up check-ins; whether the harmed party was told how it ended; the closing reason; and each
party's questionnaire. Like every record it is amended or voided, never deleted, and each step is a
change of status with its own audit entry. No Textual, no SQL here.
"""

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field, field_validator, model_validator

from .base import FreeLine, Model, Moment, Name, NonEmptyText, Record, RecordId, ShortText, StudentId, Text, check_not_before, new_id
from .process_words import (  # noqa: F401  (re-exported: where they were first)
    TIER_NAMES, Acknowledgment, ClosingReason, ItemKind, ItemStatus, PartyRole, Relation, Stage, Willingness,
)


class PersonMark:
    """Marks a field that names a person who is not on the roster (a parent, a community member): a
    de-identified export replaces it whole with [name]."""


#: An adult's name: one line, as any name, and marked as a person's (see :class:`PersonMark`).
PersonName = Annotated[Name, PersonMark()]


class Questionnaire(Model):
    """A party's answers after the meeting: 1 (not at all) to 5 (completely); would take part again."""

    felt_heard: int | None = Field(None, ge=1, le=5)
    fair: int | None = Field(None, ge=1, le=5, description="The process was fair.")
    repaired: int | None = Field(None, ge=1, le=5, description="The harm was repaired.")
    again: bool | None = Field(None, description="Would take part again.")
    answered_on: date | None = None


class Preparation(Model):
    """A preparation meeting with one party."""

    on: date
    by: ShortText = ""
    note: Text = ""


class Party(Model):
    """A student from the roster, or an adult by name and relation, with their role and preparation."""

    id: RecordId = Field(default_factory=new_id)
    student_id: StudentId | None = None
    name: PersonName | None = Field(None, description="An adult's name (students are named by the roster).")
    relation: Relation | None = None
    role: PartyRole
    preparation: list[Preparation] = Field(default_factory=list, max_length=50)
    acknowledges: Acknowledgment | None = Field(None, description="For a responsible party: acknowledges the harm.")
    willing: Willingness = Willingness.NOT_YET
    consents_to_share: bool | None = Field(None, description="Agrees to their information being shared.")
    wishes: Text = Field("", description="The harmed party's wishes: what needs to happen.")
    safety_concern: Text = Field("", description="A safety concern (unresolved until marked resolved).")
    keep_apart: bool = Field(False, description="Keep apart from the other side (no face-to-face meeting).")
    safety_resolved: bool = False
    questionnaire: Questionnaire | None = None

    @model_validator(mode="after")
    def _who(self) -> "Party":
        if (self.student_id is None) == (self.name is None):
            raise ValueError("a party is a student from the roster or an adult by name (one of them)")
        if self.name is not None and self.relation is None:
            raise ValueError(f"say how {self.name} is related (parent/caregiver, teacher, staff, community member)")
        if self.student_id is not None and self.relation is not None:
            raise ValueError("a student has no relation (that is for adults)")
        if self.acknowledges is not None and not self.role.responsible:
            raise ValueError("only a responsible party acknowledges harm")
        return self

    @property
    def unresolved_safety(self) -> bool:
        """A safety concern or keep-apart flag not yet marked resolved."""
        return bool(self.safety_concern or self.keep_apart) and not self.safety_resolved


class Meeting(Model):
    """A circle, conference or mediation: planned for a time, then held (or not)."""

    id: RecordId = Field(default_factory=new_id)
    at: Moment
    place: FreeLine = ""
    facilitators: list[Name] = Field(default_factory=list, max_length=10)
    held: bool = False
    attended: list[RecordId] = Field(default_factory=list, max_length=60, description="Party ids.")
    participants: int | None = Field(None, ge=0, le=500, description="How many took part (a Tier 1 circle).")
    minutes: int | None = Field(None, ge=0, le=600)
    agreement_reached: bool = False
    unsuitable_reason: Text = Field("", description="Why it was held with something missing for a face-to-face "
                                                    "meeting (see suitability).")
    note: Text = ""


class AgreementItem(Model):
    """One thing the agreement says will be done, by whom and when, and how it went."""

    id: RecordId = Field(default_factory=new_id)
    what: NonEmptyText = Field(description="What will be done (free text: a de-identified export drops roster names).")
    owner: RecordId = Field(description="The party who owns it.")
    due: date
    status: ItemStatus = ItemStatus.OPEN
    checked_by: ShortText = ""
    checked_at: Moment | None = None
    item_kind: ItemKind = ItemKind.ACTION
    partner: FreeLine = ""
    site: FreeLine = ""
    risk_assessed_on: date | None = None
    hours: float | None = Field(None, ge=0, le=1000)

    @model_validator(mode="after")
    def _checked(self) -> "AgreementItem":
        if self.status is not ItemStatus.OPEN and self.checked_at is None:
            raise ValueError(f"an item marked {self.status.value.replace('_', ' ')} needs when it was checked")
        if self.item_kind is ItemKind.ACTION and (self.partner or self.site or self.hours is not None
                                                   or self.risk_assessed_on is not None):
            raise ValueError("partner, site, hours and risk assessment belong to a reparation item")
        return self

    @property
    def done_late(self) -> bool:
        """Done, but checked after its due date."""
        return self.status is ItemStatus.DONE and self.checked_at is not None and self.checked_at.date() > self.due


class CheckIn(Model):
    """A follow-up check-in (re-entry: 2 and 4 weeks by default)."""

    id: RecordId = Field(default_factory=new_id)
    due: date
    done_at: Moment | None = None
    by: ShortText = ""
    note: Text = ""


class Process(Record):
    """A restorative process (Tier 1 relate, Tier 2 repair, Tier 3 restore) with everything it took."""

    kind: ClassVar[str] = "process"
    time_field: ClassVar[str] = "started_at"
    #: the steps of the work; what kind of process and where it came from are corrected by amendment
    status_fields: ClassVar[frozenset[str]] = frozenset({
        "facilitator", "indirect", "parties", "meetings", "items", "check_ins", "harmed_told_at", "harmed_told_how",
        "harmed_told_completed", "closed_at", "closing_reason", "closing_note",
    })

    started_at: Moment
    process_kind: Name = Field(description="A kind of the profile (restorative conversation, conference...).")
    tier: int = Field(ge=1, le=3)
    referral_id: RecordId | None = None
    incident_id: RecordId | None = None
    facilitator: ShortText = ""
    group_name: FreeLine = Field("", description="The class or group (a Tier 1 circle).")
    topic: FreeLine = ""
    indirect: bool = Field(False, description="An indirect process: shuttle between the parties, no face-to-face.")
    parties: list[Party] = Field(default_factory=list, max_length=60)
    meetings: list[Meeting] = Field(default_factory=list, max_length=50)
    items: list[AgreementItem] = Field(default_factory=list, max_length=50)
    check_ins: list[CheckIn] = Field(default_factory=list, max_length=20)
    harmed_told_at: Moment | None = None
    harmed_told_how: FreeLine = ""
    harmed_told_completed: bool | None = Field(None, description="What they were told: the agreement was (true) or "
                                                                 "was not (false) completed.")
    closed_at: Moment | None = None
    closing_reason: ClosingReason | None = None
    closing_note: Text = ""

    @field_validator("parties")
    @classmethod
    def _parties_once(cls, parties: list[Party]) -> list[Party]:
        ids, students = set(), set()
        for p in parties:
            if p.id in ids:
                raise ValueError("a party is listed twice")
            if p.student_id is not None and p.student_id in students:
                raise ValueError(f"student {p.student_id} is listed twice")
            ids.add(p.id)
            if p.student_id:
                students.add(p.student_id)
        return parties

    @model_validator(mode="after")
    def _consistent(self) -> "Process":
        party_ids = {p.id for p in self.parties}
        for item in self.items:
            if item.owner not in party_ids:
                raise ValueError(f"the owner of '{item.what}' is not a party of this process")
        for meeting in self.meetings:
            if unknown := [a for a in meeting.attended if a not in party_ids]:
                raise ValueError(f"{len(unknown)} who attended a meeting are not parties of this process")
        for sub in ("meetings", "items", "check_ins"):
            seen = [x.id for x in getattr(self, sub)]
            if len(seen) != len(set(seen)):
                raise ValueError(f"one of the {sub.replace('_', '-')} is listed twice")
        if (self.closed_at is None) != (self.closing_reason is None):
            raise ValueError("a closed process needs a closing reason (and a reason only comes with closing)")
        check_not_before(self.closed_at, self.started_at, "closed before it started")
        if self.harmed_told_at is None and (self.harmed_told_how or self.harmed_told_completed is not None):
            raise ValueError("say when the harmed party was told")
        return self

    def student_ids(self) -> list[str]:
        return [p.student_id for p in self.parties if p.student_id]

    @property
    def students(self) -> list[Party]:
        """The parties who are students (the store links each to the process with their role)."""
        return [p for p in self.parties if p.student_id]

    # ------------------------------------------------------------------ reading the record
    def party(self, party_id: str) -> Party | None:
        """The party with this id."""
        return next((p for p in self.parties if p.id == party_id), None)

    def role_of(self, student_id: str) -> PartyRole | None:
        """The student's role in this process."""
        return next((p.role for p in self.parties if p.student_id == student_id), None)

    @property
    def held_meetings(self) -> list[Meeting]:
        return sorted((m for m in self.meetings if m.held), key=lambda m: m.at)

    @property
    def planned_meetings(self) -> list[Meeting]:
        return sorted((m for m in self.meetings if not m.held), key=lambda m: m.at)

    @property
    def first_meeting(self) -> Meeting | None:
        """The first meeting held."""
        held = self.held_meetings
        return held[0] if held else None

    @property
    def stage(self) -> Stage:
        """Where the process is on the board: closed; an agreement being followed; a meeting scheduled;
        parties being prepared; suitability being assessed; or just referred."""
        if self.closed_at is not None:
            return Stage.CLOSED
        if self.items or any(m.agreement_reached for m in self.held_meetings):
            return Stage.FOLLOWING
        if self.planned_meetings:
            return Stage.SCHEDULED
        if any(p.preparation for p in self.parties) or self.held_meetings:
            return Stage.PREPARING
        if any(p.willing is not Willingness.NOT_YET or p.acknowledges is not None or p.wishes
               or p.safety_concern or p.keep_apart for p in self.parties):
            return Stage.ASSESSING
        return Stage.REFERRED


__all__ = [
    "Acknowledgment", "AgreementItem", "CheckIn", "ClosingReason", "ItemKind", "ItemStatus", "Meeting", "Party",
    "PartyRole", "Preparation", "Process", "Questionnaire", "Relation", "Stage", "TIER_NAMES", "Willingness",
]
