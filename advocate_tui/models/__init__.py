"""Pydantic models of everything advocate-tui records (no Textual, no SQL here).

Every name is imported from its module when first asked for (PEP 562: ``from advocate_tui.models import
Incident`` works as ever): an empty start shows no record, so it builds no model class and imports no
pydantic (building the ~27 record models cost each start ~100M instructions, and pydantic itself more).
The vocabularies (:mod:`.enums`), the text rules (:mod:`.text`) and the error wording (:mod:`.errors`)
import no pydantic. The models a start of a full database builds (and the profile's) are written without
``from __future__ import annotations``: with it, pydantic compiled and evaluated every field's annotation
from its text (~470 small compiles, ~9 ms of each start).
"""

import importlib

#: name -> the module that defines it, imported on first use (PEP 562)
_LATER = {
    "AuditEntry": ".audit",
    **dict.fromkeys(("Model", "Record", "new_id"), ".base"),
    **dict.fromkeys(("AuditAction", "AttendanceAction", "AttendanceKind", "CheckpointStatus", "ContactKind", "DoorStatus", "FollowUpEnd",
                     "FollowUpStatus", "IncidentAction", "Level", "Motivation", "ReferralOutcome", "ReferralPurpose",
                     "ReferralStatus", "ReplyDecision", "StudentRole", "Urgency"), ".enums"),
    **dict.fromkeys(("describe", "friendly_errors"), ".errors"),
    **dict.fromkeys(("RECORD_TYPES", "AttendanceFollowUp", "CheckpointVisit", "ContactNote", "DoorCheck", "Handoff",
                     "Incident", "IncidentStudent", "PatrolRound", "Referral"), ".records"),
    **dict.fromkeys(("AgreementItem", "CheckIn", "Meeting", "Party", "Process", "Questionnaire"), ".process"),
    **dict.fromkeys(("ClosingReason", "ItemStatus", "PartyRole", "Stage", "Willingness"), ".process"),
    **dict.fromkeys(("Student", "student_key"), ".student"),
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
