"""The day's handoff bundle: what the advocate's desk writes and signs, and the coordinator imports."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from .base import Model, Moment, Name, SchoolShort, ShortText, _clean_text
from .records import AttendanceFollowUp, ContactNote, DoorCheck, Handoff, Incident, PatrolRound, Referral
from .process import Process
from .signature import Signature
from .text import TEXT_PATTERN
from .student import Student

#: The most characters of a report a bundle carries (a very busy day's shift report: ~300 incidents with long
#: notes; the whole bundle file stays under its 20 MB cap). A longer report is cut, saying so, never refused.
REPORT_MAX = 2_000_000
#: Markdown of a report inside a bundle: notes' rules (tabs and line breaks only), longer than one note.
ReportText = Annotated[str, StringConstraints(max_length=REPORT_MAX, pattern=TEXT_PATTERN), BeforeValidator(_clean_text)]

#: 2: signed with the desk's Ed25519 key (1 carried an unkeyed checksum, which anyone could recompute).
BUNDLE_FORMAT_VERSION = 2


class HandoffBundleContent(Model):
    """Everything a handoff bundle says, before it is signed: the handoff, its records and their students."""

    format: Literal["advocate-tui.handoff"] = "advocate-tui.handoff"
    format_version: Literal[2] = BUNDLE_FORMAT_VERSION
    school: Name
    school_short: SchoolShort = Field(description="The school's short name (its profile's slug): what a coordinator's "
                                                  "database knows the school by.")
    timezone: ShortText
    demo: bool = Field(False, description="True when written by the demo school (fictional students): a "
                                          "coordinator's database never mixes demo and real bundles.")
    date: date
    sequence: int = Field(ge=1)
    generated_at: Moment
    handoff: Handoff
    referrals: list[Referral] = Field(default_factory=list)
    students: list[Student] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    attendance: list[AttendanceFollowUp] = Field(default_factory=list)
    contact_notes: list[ContactNote] = Field(default_factory=list)
    door_checks: list[DoorCheck] = Field(default_factory=list)
    patrol_rounds: list[PatrolRound] = Field(default_factory=list)
    processes: list[Process] = Field(default_factory=list, description="Restorative processes changed since the "
                                                                       "last handoff, as they are now.")
    shift_report: ReportText = Field("", description="The day's end-of-shift report (Markdown; issue 14): incidents, "
                                                     "doors and patrol, sweeps, Peace Room, CICO, contacts, follow-ups "
                                                     "left open and the handover note.")


class HandoffBundle(HandoffBundleContent):
    """A handoff as a self-contained, signed file: the content and the writing desk's signature of it."""

    signature: Signature = Field(description="The writing desk's Ed25519 signature of every other member.")
