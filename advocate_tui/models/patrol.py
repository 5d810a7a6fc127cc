"""A campus patrol round, checkpoint by checkpoint."""

from typing import ClassVar

from pydantic import Field, model_validator

from .base import Model, Moment, Name, Record, RecordId, Text, check_not_before
from .enums import CheckpointStatus


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
        return [c for c in self.checkpoints if c.status.is_issue]
