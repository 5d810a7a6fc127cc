"""Pydantic models of everything advocate-tui records (no Textual, no SQL here).

The models of files (the handoff bundle and its signature, the JSON export, the report) are imported
when first asked for (``from advocate_tui.models import HandoffBundle`` works as ever): a start of the
app needs none of them, and building a pydantic model costs a few milliseconds each. The models a start
builds (and the profile's) are written without ``from __future__ import annotations``: with it, pydantic
compiled and evaluated every field's annotation from its text (~470 small compiles, ~9 ms of each start).
"""

import importlib

from .audit import AuditAction, AuditEntry
from .base import Model, Record, new_id
from .enums import (
    AttendanceAction,
    AttendanceKind,
    CheckpointStatus,
    ContactKind,
    DoorStatus,
    FollowUpEnd,
    FollowUpStatus,
    IncidentAction,
    Level,
    Motivation,
    ReferralOutcome,
    ReferralPurpose,
    ReferralStatus,
    ReplyDecision,
    StudentRole,
    Urgency,
)
from .errors import describe, friendly_errors
from .records import (
    RECORD_TYPES,
    AttendanceFollowUp,
    CheckpointVisit,
    ContactNote,
    DoorCheck,
    Handoff,
    Incident,
    IncidentStudent,
    PatrolRound,
    Referral,
)
from .process import (
    AgreementItem,
    CheckIn,
    ClosingReason,
    ItemStatus,
    Meeting,
    Party,
    PartyRole,
    Process,
    Questionnaire,
    Stage,
    Willingness,
)
from .student import Student, student_key

#: name -> the module that defines it, imported on first use (PEP 562)
_LATER = {
    **dict.fromkeys(("BUNDLE_FORMAT_VERSION", "HandoffBundle", "HandoffBundleContent"), ".bundle"),
    **dict.fromkeys(("ExportFile", "ExportManifest", "ExportOptions", "PseudonymousStudent"), ".export"),
    **dict.fromkeys(("ProgramReport", "ReportRow", "ReportSummary", "ReportTable"), ".report"),
    **dict.fromkeys(("REPLY_FORMAT_VERSION", "REPLY_FORMAT_VERSIONS", "ProcessReply", "ReferralReply", "ReplyBundle", "ReplyBundleContent"),
                    ".reply"),
    "Signature": ".signature",
}


def __getattr__(name: str):
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LATER[name], __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "AuditAction", "AuditEntry", "Model", "Record", "new_id", "BUNDLE_FORMAT_VERSION", "HandoffBundle", "HandoffBundleContent", "Signature",
    "AttendanceAction", "AttendanceKind", "CheckpointStatus", "ContactKind", "DoorStatus", "FollowUpEnd", "FollowUpStatus",
    "IncidentAction", "Level", "Motivation", "ReferralOutcome", "ReferralPurpose", "ReferralStatus",
    "StudentRole", "Urgency", "describe", "friendly_errors", "RECORD_TYPES", "AttendanceFollowUp",
    "CheckpointVisit", "ContactNote", "DoorCheck", "Handoff", "Incident", "IncidentStudent", "PatrolRound",
    "Referral", "Student", "ExportFile", "ExportManifest", "ExportOptions", "PseudonymousStudent", "ProgramReport",
    "ReportRow", "ReportSummary", "ReportTable", "student_key", "REPLY_FORMAT_VERSION", "REPLY_FORMAT_VERSIONS",
    "ProcessReply",
    "ReferralReply", "ReplyBundle", "ReplyBundleContent", "ReplyDecision",
    "AgreementItem", "CheckIn", "ClosingReason", "ItemStatus", "Meeting", "Party", "PartyRole", "Process",
    "Questionnaire", "Stage", "Willingness",
]
