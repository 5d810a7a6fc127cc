"""Check-In/Check-Out (CICO): a Tier 2 student's daily progress card.

A student is enrolled with the school's expectations (3-5) and the bell periods the card covers, and a
daily goal (a share of the points). Each school day has one card: the morning check-in (present, has
the card), the afternoon check-out with a score of 0, 1 or 2 per expectation per period, the day's
status, the parent's signature and a comment. Plan changes (goal, expectations, periods, phase) are kept
with their date; a student moves on to self-monitoring and graduates. No Textual here.
"""

import datetime as dt
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Model, Moment, Name, Record, RecordId, ShortText, StudentId, Text, check_not_before
from .cico_words import DEFAULT_GOAL, MAX_SCORE, CicoDayStatus, CicoPhase  # noqa: F401  (re-exported)

def _once(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for v in values:
        if v.casefold() in seen:
            raise ValueError(f"{what} {v} is listed twice")
        seen.add(v.casefold())
    return values


class PlanChange(Model):
    """A change of a student's CICO plan, on a date (shown on the chart)."""

    on: dt.date
    what: Text = Field(description="What changed, in words ('goal 80% -> 70%', 'self-monitoring').")
    goal_percent: int | None = Field(None, ge=10, le=100, description="The new goal, when it changed.")
    phase: CicoPhase | None = Field(None, description="The new phase, when it changed.")


class CicoEnrolment(Record):
    """A student on CICO: expectations, periods, goal, phase and the plan's changes."""

    kind: ClassVar[str] = "cico_enrolment"
    time_field: ClassVar[str] = "enrolled_on"
    #: the plan changes (goal, expectations, periods, phase) with a dated entry in ``changes``
    status_fields: ClassVar[frozenset[str]] = frozenset(
        {"goal_percent", "expectations", "periods", "phase", "changes", "ended_on"})

    student_id: StudentId
    enrolled_on: dt.date
    expectations: list[Name] = Field(min_length=3, max_length=5, description="The school's expectations scored.")
    periods: list[Name] = Field(min_length=1, max_length=12, description="The bell periods the card covers.")
    goal_percent: int = Field(DEFAULT_GOAL, ge=10, le=100, description="The daily goal, per cent of the points.")
    phase: CicoPhase = CicoPhase.CICO
    mentor: ShortText = Field("", description="Who checks the student in and out, when not the advocate.")
    note: Text = ""
    changes: list[PlanChange] = Field(default_factory=list, max_length=200)
    ended_on: dt.date | None = None

    @field_validator("expectations")
    @classmethod
    def _expectations_once(cls, v: list[str]) -> list[str]:
        return _once(v, "expectation")

    @field_validator("periods")
    @classmethod
    def _periods_once(cls, v: list[str]) -> list[str]:
        return _once(v, "period")

    @model_validator(mode="after")
    def _dates(self) -> "CicoEnrolment":
        check_not_before(self.ended_on, self.enrolled_on, "ended before the enrolment")
        for change in self.changes:
            check_not_before(change.on, self.enrolled_on, "a plan change is before the enrolment")
        if self.phase in (CicoPhase.GRADUATED, CicoPhase.ENDED) and self.ended_on is None:
            raise ValueError("a graduated or ended enrolment needs the day it ended")
        return self

    @property
    def active(self) -> bool:
        """True while the student has a card or monitors themselves."""
        return self.phase in (CicoPhase.CICO, CicoPhase.SELF_MONITORING)

    def student_ids(self) -> list[str]:
        return [self.student_id]


class CicoScore(Model):
    """One cell of the card: an expectation in a period, scored 0, 1 or 2."""

    period: Name
    expectation: Name
    points: int = Field(ge=0, le=MAX_SCORE)


class CicoDay(Record):
    """One school day's card for an enrolled student."""

    kind: ClassVar[str] = "cico_day"
    time_field: ClassVar[str] = "date"
    #: the day fills in as it goes: check-in, scores, check-out, status, signature, comment
    status_fields: ClassVar[frozenset[str]] = frozenset({
        "status", "checked_in_at", "has_card", "checked_out_at", "scores", "parent_signed", "comment"})

    enrolment_id: RecordId
    student_id: StudentId
    date: dt.date
    status: CicoDayStatus = CicoDayStatus.PRESENT
    goal_percent: int = Field(DEFAULT_GOAL, ge=10, le=100, description="The goal that day (the plan's, then).")
    expectations: list[Name] = Field(min_length=1, max_length=5, description="The expectations on that day's card.")
    periods: list[Name] = Field(min_length=1, max_length=12, description="The periods on that day's card.")
    checked_in_at: Moment | None = None
    has_card: bool | None = Field(None, description="At check-in: the student has (was given) the card.")
    checked_out_at: Moment | None = None
    scores: list[CicoScore] = Field(default_factory=list, max_length=60)
    parent_signed: bool | None = Field(None, description="The card came back signed by a parent or caregiver.")
    comment: Text = ""

    @model_validator(mode="after")
    def _cells_on_the_card(self) -> "CicoDay":
        periods = {p.casefold() for p in self.periods}
        expectations = {e.casefold() for e in self.expectations}
        seen: set[tuple[str, str]] = set()
        for s in self.scores:
            if s.period.casefold() not in periods:
                raise ValueError(f"period {s.period} is not on this card")
            if s.expectation.casefold() not in expectations:
                raise ValueError(f"expectation {s.expectation} is not on this card")
            cell = (s.period.casefold(), s.expectation.casefold())
            if cell in seen:
                raise ValueError(f"{s.expectation} in {s.period} is scored twice")
            seen.add(cell)
        if self.status in (CicoDayStatus.ABSENT, CicoDayStatus.NO_SCHOOL) and self.scores:
            raise ValueError(f"a day marked {self.status.label.lower()} has no scores")
        check_not_before(self.checked_out_at, self.checked_in_at, "checked out before checking in")
        return self

    @property
    def points(self) -> int:
        return sum(s.points for s in self.scores)

    @property
    def possible(self) -> int:
        """The points the scored cells could have earned (a cell left blank counts for nothing)."""
        return MAX_SCORE * len(self.scores)

    @property
    def percent(self) -> float | None:
        """Share of the points earned (0-100), or None on a day without scores."""
        if self.status is not CicoDayStatus.PRESENT or not self.scores:
            return None
        return 100.0 * self.points / self.possible

    @property
    def met_goal(self) -> bool | None:
        pct = self.percent
        return None if pct is None else pct >= self.goal_percent

    def score(self, period: str, expectation: str) -> int | None:
        """The cell's points, or None when it is blank."""
        p, e = period.casefold(), expectation.casefold()
        return next((s.points for s in self.scores if s.period.casefold() == p and s.expectation.casefold() == e),
                    None)

    def student_ids(self) -> list[str]:
        return [self.student_id]
