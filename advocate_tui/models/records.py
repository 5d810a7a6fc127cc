"""The models-level registry of record kinds: :data:`RECORD_TYPES` (``Record.kind`` → its model).

Each kind's model is in a module of its own (``incident.py``, ``contact.py``…); this module gathers them
(and re-exports the older ones, so ``from advocate_tui.models.records import Incident`` works as ever).
A new kind adds its model module and one line here. The services' registry of what each kind does on the
screens, in a handoff and in the reports is :mod:`advocate_tui.services.kinds`.
"""

from __future__ import annotations

from .attendance import AttendanceFollowUp
from .base import Record, ShortText, Text
from .cico import CicoDay, CicoEnrolment
from .contact import ContactNote
from .door_check import DoorCheck
from .follow_up import FOLLOW_UP_END_FIELDS
from .handoff import Handoff
from .incident import Incident, IncidentStudent
from .patrol import CheckpointVisit, PatrolRound
from .peace_room import PeaceRoomVisit
from .process import Process
from .referral import Referral
from .sweep import Sweep

#: every kind of record, by ``Record.kind`` (the order of ``advocate export --json``'s files and of a
#: database check's tables)
RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls for cls in (Incident, DoorCheck, PatrolRound, ContactNote, AttendanceFollowUp, Referral, Handoff,
                              Process, Sweep, PeaceRoomVisit, CicoEnrolment, CicoDay)
}

__all__ = [
    "FOLLOW_UP_END_FIELDS", "IncidentStudent", "Incident", "DoorCheck", "CheckpointVisit", "PatrolRound", "ContactNote",
    "AttendanceFollowUp", "Referral", "Handoff", "RECORD_TYPES", "ShortText", "Text",
]
