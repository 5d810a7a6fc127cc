"""The program report as JSON (``advocate report``'s ``.json``): exact counts, for the district to combine.

Unlike the report's Markdown and CSV, this file is not suppressed: ``advocate report --combine`` adds
the schools' exact counts and suppresses small cells only in the combined total. It names no student,
but a count of 1 can point at one; it is confidential, written owner-only (0600), and goes to the
district's data office only.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from .base import Model, Moment, Name, ShortText
from .export import SLUG_PATTERN

REPORT_FORMAT_VERSION = 1
CONFIDENTIAL = ("Exact counts, small ones included: for the district's data office only, never published. "
                "The de-identified report is the Markdown and CSV beside it; combine these with "
                "'advocate report --combine'.")


class ReportRow(Model):
    """One row of a table: a label and its exact count (for a rate table, also the school days it is over)."""

    label: ShortText
    count: int = Field(ge=0)
    days: int | None = Field(None, ge=0, description="Rate tables only: the school days the count is over.")


class ReportTable(Model):
    """One table of the report."""

    key: str = Field(max_length=40, pattern=r"^[a-z0-9_]+$")
    title: ShortText
    column: ShortText = Field(description="What the labels are (behaviour, location, month...).")
    value: ShortText = Field("count", description="What the value column shows (count, or per day for a rate).")
    rate: bool = Field(False, description="True: the value is count ÷ days (incidents per school day).")
    ordered: bool = Field(False, description="True: rows are in a natural order (time, month); false: by count.")
    rows: list[ReportRow] = Field(default_factory=list, max_length=10_000)

    @model_validator(mode="after")
    def _rate_rows_have_days(self) -> "ReportTable":
        if self.rate and any(r.days is None for r in self.rows):
            raise ValueError("every row of a rate table needs its days")
        return self


class ReportSummary(Model):
    """The report's headline counts."""

    incidents: int = Field(ge=0)
    major: int = Field(ge=0)
    incident_days: int = Field(ge=0)
    referrals: int = Field(ge=0)
    followups: int = Field(ge=0)
    door_exceptions: int = Field(ge=0)
    patrol_exceptions: int = Field(ge=0)


class ProgramReport(Model):
    """One school's program report for a period, with exact counts (confidential: the district's only)."""

    format: Literal["advocate-tui.report"] = "advocate-tui.report"
    format_version: Literal[1] = REPORT_FORMAT_VERSION
    confidential: Literal[True] = True
    notice: str = Field(CONFIDENTIAL, max_length=1000)
    school: Name
    school_short: str = Field(max_length=100, pattern=SLUG_PATTERN)
    demo: bool = Field(False, description="True for the demo school (fictional students).")
    period_start: date
    period_end: date
    prepared_at: Moment
    summary: ReportSummary
    tables: list[ReportTable] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _period_in_order(self) -> "ProgramReport":
        if self.period_end < self.period_start:
            raise ValueError("the period ends before it starts")
        return self


__all__ = ["REPORT_FORMAT_VERSION", "CONFIDENTIAL", "ReportRow", "ReportTable", "ReportSummary", "ProgramReport"]
