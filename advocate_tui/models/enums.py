"""Fixed vocabularies of the records (PBIS SWIS, Ed-Fi and OneRoster words).

Each enum's value is what is stored and exported; `label` is what a person reads.
"""

from __future__ import annotations

from enum import StrEnum


class Vocab(StrEnum):
    """A StrEnum whose members have a human label derived from the value."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())


class Level(Vocab):
    """Incident level: minor is staff-managed, major is admin-managed."""

    MINOR = "minor"
    MAJOR = "major"


class Motivation(Vocab):
    """Perceived motivation (PBIS SWIS)."""

    OBTAIN_PEER_ATTENTION = "obtain_peer_attention"
    OBTAIN_ADULT_ATTENTION = "obtain_adult_attention"
    OBTAIN_ITEMS = "obtain_items_activities"
    AVOID_TASK = "avoid_task_activity"
    AVOID_PEERS = "avoid_peers"
    AVOID_ADULTS = "avoid_adults"
    UNKNOWN = "unknown"
    OTHER = "other"


class StudentRole(Vocab):
    """A student's part in an incident."""

    RESPONSIBLE = "responsible"
    HARMED = "harmed"
    WITNESS = "witness"
    INVOLVED = "involved"


class IncidentAction(Vocab):
    """What was done about an incident."""

    RESTORATIVE_CONVERSATION = "restorative_conversation"
    MEDIATION = "mediation"
    CIRCLE = "circle"
    CONFERENCE = "conference"
    COACHING_WARNING = "coaching_warning"
    PARENT_CONTACTED = "parent_contacted"
    ADMIN_NOTIFIED = "administrator_notified"
    REFERRAL_MADE = "referral_made"
    REMOVAL_FROM_CLASS = "removal_from_class"
    LAW_ENFORCEMENT = "law_enforcement_notified"
    KEEP_APART = "keep_apart"  # the students are to be kept apart (a hall sweep warns when both are out)


class DoorStatus(Vocab):
    """The state a door was found in."""

    SECURE = "secure"
    UNSECURED = "unsecured"
    PROPPED_OPEN = "propped_open"
    DAMAGED = "damaged"
    ALARM = "alarm"

    @property
    def is_exception(self) -> bool:
        """Anything but secure: the door stands as an exception until a later check clears it."""
        return self is not DoorStatus.SECURE


class CheckpointStatus(Vocab):
    """A patrol checkpoint was clear or had an issue."""

    CLEAR = "clear"
    ISSUE = "issue"

    @property
    def is_issue(self) -> bool:
        return self is CheckpointStatus.ISSUE


class ContactKind(Vocab):
    """Kinds of student contact note."""

    CHECK_IN = "check_in"
    RESTORATIVE_CONVERSATION = "restorative_conversation"
    MEDIATION = "mediation"
    COACHING_WARNING = "coaching_warning"
    CAREGIVER_CALL = "caregiver_call"
    SEL_SUPPORT = "sel_support"
    SERVICE_REFERRAL = "service_referral"


class AttendanceKind(Vocab):
    """Kinds of attendance event to follow up (Ed-Fi attendance categories)."""

    TARDY = "tardy"
    ABSENT_UNEXCUSED = "absent_unexcused"
    ABSENT_EXCUSED = "absent_excused"
    EARLY_DEPARTURE = "early_departure"
    CUTTING_CLASS = "cutting_class"


class AttendanceAction(Vocab):
    """What was done to follow up attendance."""

    CALL_HOME = "call_home"
    HOME_VISIT = "home_visit"
    STUDENT_CONFERENCE = "student_conference"
    ATTENDANCE_PLAN = "attendance_plan"
    REFERRAL = "referral"


class FollowUpStatus(Vocab):
    """An attendance follow-up is open until resolved (or dismissed, with a reason)."""

    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class FollowUpEnd(Vocab):
    """How an incident's or contact note's follow-up ended: done (with an outcome) or dismissed (with a reason)."""

    DONE = "done"
    DISMISSED = "dismissed"


class ReferralPurpose(Vocab):
    """What a referral asks for."""

    CIRCLE = "circle"
    CONFERENCE = "conference"
    MEDIATION = "mediation"
    REENTRY_MEETING = "reentry_meeting"
    SERVICES = "services"
    SAFETY_REVIEW = "safety_review"
    OTHER = "other"


class Urgency(Vocab):
    """How soon a referral needs attention."""

    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """Sort key: urgent first."""
        return {"urgent": 0, "soon": 1, "routine": 2}[self.value]


class ReferralStatus(Vocab):
    """Where a referral is on its way from the advocate to a closed case."""

    NEW = "new"
    HANDED_OFF = "handed_off"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class ReferralOutcome(Vocab):
    """How the coordinator closed a referral."""

    AGREEMENT_REACHED = "agreement_reached"
    SERVICES_CONNECTED = "services_connected"
    DECLINED = "declined"
    NO_FURTHER_ACTION = "no_further_action"


class ReplyDecision(Vocab):
    """The coordinator's word on a referral, as a reply tells the school."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    CLOSED = "closed"


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


_LABELS = {
    "obtain_items_activities": "Obtain items/activities",
    "avoid_task_activity": "Avoid task/activity",
    "administrator_notified": "Administrator notified",
    "law_enforcement_notified": "Law enforcement notified",
    "coaching_warning": "Coaching/warning",
    "check_in": "Check-in",
    "sel_support": "SEL support",
    "reentry_meeting": "Re-entry meeting",
    "propped_open": "Propped open",
    "absent_unexcused": "Absent (unexcused)",
    "absent_excused": "Absent (excused)",
    "handed_off": "Handed off",
}
