"""An entry of the append-only audit trail."""

from enum import StrEnum
from typing import Any

from .base import Model, Moment, ShortText


class AuditAction(StrEnum):
    """What happened to a record."""

    CREATE = "create"
    AMEND = "amend"
    VOID = "void"
    STATUS = "status"
    HANDOFF = "handoff"
    IMPORT = "import"
    RESTORE = "restore"
    ROSTER = "roster"
    TRUST = "trust"
    REVOKE = "revoke"
    REPLY = "reply"


class AuditEntry(Model):
    """Who did what to which record, when, with the record before and after."""

    seq: int | None = None
    at: Moment
    by: ShortText = ""
    action: AuditAction
    record_type: ShortText
    record_id: ShortText
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    note: str = ""
