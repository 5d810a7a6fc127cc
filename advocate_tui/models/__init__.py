"""Pydantic models of everything advocate-tui records (no Textual, no SQL here)."""

from .audit import AuditAction, AuditEntry
from .base import Model, Record, new_id
from .bundle import BUNDLE_FORMAT_VERSION, HandoffBundle, HandoffBundleContent
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
    StudentRole,
    Urgency,
)
from .errors import describe, friendly_errors
from .export import ExportFile, ExportManifest, ExportOptions, PseudonymousStudent
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
from .report import ProgramReport, ReportRow, ReportSummary, ReportTable
from .signature import Signature
from .student import Student

__all__ = [
    "AuditAction", "AuditEntry", "Model", "Record", "new_id", "BUNDLE_FORMAT_VERSION", "HandoffBundle", "HandoffBundleContent", "Signature",
    "AttendanceAction", "AttendanceKind", "CheckpointStatus", "ContactKind", "DoorStatus", "FollowUpEnd", "FollowUpStatus",
    "IncidentAction", "Level", "Motivation", "ReferralOutcome", "ReferralPurpose", "ReferralStatus",
    "StudentRole", "Urgency", "describe", "friendly_errors", "RECORD_TYPES", "AttendanceFollowUp",
    "CheckpointVisit", "ContactNote", "DoorCheck", "Handoff", "Incident", "IncidentStudent", "PatrolRound",
    "Referral", "Student", "ExportFile", "ExportManifest", "ExportOptions", "PseudonymousStudent", "ProgramReport",
    "ReportRow", "ReportSummary", "ReportTable",
]
