"""The coordinator's reply to a school: its word on each referral, signed like a handoff bundle.

A district coordinator's database serves several schools. What the coordinator decides about a
school's referrals goes back to that school as a reply file, signed with the coordinator desk's
Ed25519 key in the same way as a handoff bundle (see :mod:`.signature`), and imported there with
``advocate handoff import``. A reply names referrals by their id only (the school has its own
roster); a restorative process it carries names its students by the school's own numbers, never names.

``processes`` carries the restorative processes (issue 12) the coordinator worked on for the school, with
their agreement items, for the school's advocate to follow: each as the coordinator holds it, its students
by the school's own numbers. A reply that carries processes is of format version 2 (an app that reads
version 1 only refuses it whole, never half-imports it); one without is still version 1.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .base import Model, Moment, new_id, Name, RecordId, SchoolShort, ShortText, Text, check_not_before
from .enums import ReferralOutcome, ReplyDecision
from .process import Process
from .signature import Signature

#: 1: the first reply format (referral decisions; an empty, reserved list of processes).
#: 2: restorative processes and their agreement items too (written only when it carries some).
REPLY_FORMAT_VERSION = 2
#: the versions this app reads
REPLY_FORMAT_VERSIONS = (1, 2)


class ReferralReply(Model):
    """The coordinator's word on one of the school's referrals: its decision, schedule, outcome and a note."""

    referral_id: RecordId
    decision: ReplyDecision
    decided_at: Moment = Field(description="When the coordinator last changed the referral: the school keeps "
                                           "the newest word.")
    accepted_at: Moment | None = None
    closed_at: Moment | None = None
    facilitator: ShortText | None = None
    scheduled_for: Moment | None = None
    place: ShortText | None = Field(None, description="Where the meeting is (a room).")
    outcome: ReferralOutcome | None = None
    outcome_note: Text = Field("", description="What was agreed or done; for a declined referral, the reason.")
    note: Text = Field("", description="The coordinator's note for the school's advocate.")

    @model_validator(mode="after")
    def _decision_complete(self) -> "ReferralReply":
        d = self.decision
        if d is ReplyDecision.SCHEDULED and self.scheduled_for is None:
            raise ValueError("a scheduled referral needs the time of its meeting")
        if d is ReplyDecision.DECLINED and (self.outcome is not ReferralOutcome.DECLINED or not self.outcome_note):
            raise ValueError("a declined referral needs the reason it was declined")
        if d is ReplyDecision.CLOSED and self.outcome is None:
            raise ValueError("a closed referral needs its outcome")
        if d in (ReplyDecision.DECLINED, ReplyDecision.CLOSED) and self.closed_at is None:
            raise ValueError("a closed referral needs the time it was closed")
        if d not in (ReplyDecision.DECLINED, ReplyDecision.CLOSED) and self.outcome is not None:
            raise ValueError("an open referral has no outcome")
        check_not_before(self.decided_at, self.closed_at, "decided before it was closed")
        return self


class ProcessReply(Process):
    """A restorative process as the coordinator holds it (its parties' students by the school's numbers),
    and when the coordinator last changed it: the school keeps its own copy when changed there since."""

    changed_at: Moment = Field(description="When the coordinator last changed the process.")

    def process(self) -> Process:
        """The process itself, as the school keeps it."""
        return Process.model_validate(self.model_dump(exclude={"changed_at"}))


class ReplyBundleContent(Model):
    """Everything a reply says, before it is signed."""

    format: Literal["advocate-tui.reply"] = "advocate-tui.reply"
    format_version: Literal[1, 2] = REPLY_FORMAT_VERSION
    id: RecordId = Field(default_factory=new_id, description="The reply's own id: importing it again changes nothing.")
    school: Name = Field(description="The school the reply answers (its name as the coordinator knows it).")
    school_short: SchoolShort = Field(description="The school's short name: a school imports only its own replies.")
    coordinator: Name = Field(description="The coordinator's desk (the name in its profile).")
    coordinator_short: SchoolShort = Field(description="The coordinator desk's short name: the school trusts its "
                                                       "key under this name.")
    timezone: ShortText
    demo: bool = Field(False, description="True when written by a database holding the demo school's bundles.")
    date: date
    sequence: int = Field(ge=1, description="1 for the day's first reply to this school, 2 for the next...")
    generated_at: Moment
    note: Text = Field("", description="A note for the school's advocate.")
    referrals: list[ReferralReply] = Field(default_factory=list, max_length=10_000)
    processes: list[ProcessReply] = Field(default_factory=list, max_length=10_000,
                                          description="Restorative processes and their agreement items the school's "
                                                      "advocate follows (format version 2; none in version 1).")

    @field_validator("referrals")
    @classmethod
    def _each_once(cls, v: list[ReferralReply]) -> list[ReferralReply]:
        seen: set[str] = set()
        for item in v:
            if item.referral_id in seen:
                raise ValueError("a referral is answered twice")
            seen.add(item.referral_id)
        return v

    @model_validator(mode="after")
    def _processes_need_version_2(self) -> "ReplyBundleContent":
        if self.processes and self.format_version < 2:
            raise ValueError("a reply of format version 1 carries no restorative processes")
        if len({p.id for p in self.processes}) != len(self.processes):
            raise ValueError("a process is sent twice")
        return self


class ReplyBundle(ReplyBundleContent):
    """A reply as a self-contained, signed file: the content and the coordinator desk's signature of it."""

    signature: Signature = Field(description="The coordinator desk's Ed25519 signature of every other member.")
