"""An entry of the append-only audit trail."""

from typing import Any

from .base import Model, Moment, ShortText
from .enums import AuditAction

__all__ = ["AuditAction", "AuditEntry"]


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
