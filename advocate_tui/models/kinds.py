"""Each kind of record by name, its model built only when a record of it is read or made (no pydantic here).

An empty start reads no record, so it need not build the record models (~100M instructions of pydantic's
work, and pydantic itself): the store's queries and the services name a kind through its :class:`Later`
(``INCIDENT``, ``REFERRAL``…), which knows what a query needs (the kind, so its table; its time field,
so its order) and builds the model the first time anything else is asked of it (a row to validate, a
field list, a new record). :data:`LATER` is :data:`~advocate_tui.models.records.RECORD_TYPES` by kind,
each model still unbuilt; :data:`STORED` is the validation context of a record read back.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .base import Record

M = TypeVar("M", bound="Record")

#: The validation context of a record read back from the database (``model_validate(data, context=STORED)``):
#: a name stored before names refused control characters is cleaned instead of refused, so old data
#: still opens (and still never reaches the terminal raw).
STORED: dict[str, bool] = {"stored": True}


class Later(Generic[M]):
    """A record model named before it is built: ``kind`` and ``time_field`` are known at once, and anything
    else (``model_validate``, ``model_fields``, a call making a record…) builds the model and asks it;
    ``isinstance(record, INCIDENT)`` is False without building it (no record of a kind exists before)."""

    __slots__ = ("kind", "time_field", "_where", "_model")

    def __init__(self, kind: str, time_field: str, module: str, name: str) -> None:
        self.kind = kind
        self.time_field = time_field
        self._where = (module, name)
        self._model: type[M] | None = None

    @property
    def model(self) -> type[M]:
        """The model itself (imported, so built, on first use)."""
        if self._model is None:
            module, name = self._where
            self._model = getattr(importlib.import_module(module, __package__), name)
        return self._model

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    def __call__(self, *args: Any, **kwargs: Any) -> M:
        return self.model(*args, **kwargs)

    def __instancecheck__(self, record: Any) -> bool:
        # (``isinstance(record, INCIDENT)``: no record of a kind exists before its model is built)
        return self._model is not None and isinstance(record, self._model)

    def __repr__(self) -> str:
        return f"Later({self._where[1]})"


def model_of(record_type: Any) -> Any:
    """The model a :class:`Later` names (built now), or ``record_type`` itself when it is a model already."""
    return record_type.model if isinstance(record_type, Later) else record_type


if TYPE_CHECKING:
    from .attendance import AttendanceFollowUp
    from .cico import CicoDay, CicoEnrolment
    from .contact import ContactNote
    from .door_check import DoorCheck
    from .handoff import Handoff
    from .incident import Incident
    from .patrol import PatrolRound
    from .peace_room import PeaceRoomVisit
    from .process import Process
    from .referral import Referral
    from .sweep import Sweep

INCIDENT: Later[Incident] = Later("incident", "occurred_at", ".incident", "Incident")
DOOR_CHECK: Later[DoorCheck] = Later("door_check", "checked_at", ".door_check", "DoorCheck")
PATROL_ROUND: Later[PatrolRound] = Later("patrol_round", "started_at", ".patrol", "PatrolRound")
CONTACT_NOTE: Later[ContactNote] = Later("contact_note", "at", ".contact", "ContactNote")
ATTENDANCE_FOLLOW_UP: Later[AttendanceFollowUp] = Later("attendance_followup", "date", ".attendance",
                                                         "AttendanceFollowUp")
REFERRAL: Later[Referral] = Later("referral", "referred_at", ".referral", "Referral")
HANDOFF: Later[Handoff] = Later("handoff", "signed_at", ".handoff", "Handoff")
PROCESS: Later[Process] = Later("process", "started_at", ".process", "Process")
SWEEP: Later[Sweep] = Later("sweep", "met_at", ".sweep", "Sweep")
PEACE_ROOM_VISIT: Later[PeaceRoomVisit] = Later("peace_room_visit", "time_in", ".peace_room", "PeaceRoomVisit")
CICO_ENROLMENT: Later[CicoEnrolment] = Later("cico_enrolment", "enrolled_on", ".cico", "CicoEnrolment")
CICO_DAY: Later[CicoDay] = Later("cico_day", "date", ".cico", "CicoDay")

#: every kind of record, by ``Record.kind``, in :data:`~advocate_tui.models.records.RECORD_TYPES`' order
LATER: dict[str, Later] = {
    later.kind: later for later in (INCIDENT, DOOR_CHECK, PATROL_ROUND, CONTACT_NOTE, ATTENDANCE_FOLLOW_UP, REFERRAL,
                                    HANDOFF, PROCESS, SWEEP, PEACE_ROOM_VISIT, CICO_ENROLMENT, CICO_DAY)
}
