"""The day's handoff bundle: what the advocate's desk writes and the coordinator imports."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Literal

from pydantic import Field

from .base import Model, Moment, Name, ShortText
from .records import AttendanceFollowUp, ContactNote, DoorCheck, Handoff, Incident, PatrolRound, Referral
from .student import Student

BUNDLE_FORMAT_VERSION = 1


class HandoffBundle(Model):
    """A handoff as a self-contained file: the handoff, its referrals and what the coordinator should know."""

    format: Literal["advocate-tui.handoff"] = "advocate-tui.handoff"
    format_version: Literal[1] = BUNDLE_FORMAT_VERSION
    school: Name
    school_short: ShortText
    timezone: ShortText
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
    checksum: str = Field("", pattern=r"^(sha256:[0-9a-f]{64})?$", description="sha256 of the canonical JSON of every other field.")

    def content_checksum(self) -> str:
        """The checksum of everything but the checksum field (canonical JSON, sorted keys)."""
        body = self.model_dump(mode="json", exclude={"checksum"})
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def sealed(self) -> "HandoffBundle":
        """A copy with its checksum filled in."""
        return self.model_copy(update={"checksum": self.content_checksum()})

    def checksum_ok(self) -> bool:
        return bool(self.checksum) and self.checksum == self.content_checksum()
