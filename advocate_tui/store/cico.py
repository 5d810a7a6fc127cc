"""The queries of Check-In/Check-Out (tables ``cico_enrolments`` and ``cico_days``, migration m011).

Writes go through the store's record methods, each with its audit entry; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .core import Store
from ..models.kinds import CICO_DAY, CICO_ENROLMENT

if TYPE_CHECKING:
    from ..models.cico import CicoDay, CicoEnrolment

#: phases of an enrolment still running (the card, or self-monitoring)
_ACTIVE = "phase IN ('cico', 'self_monitoring')"


def active_enrolments(store: Store) -> list[CicoEnrolment]:
    """Enrolments still running (not voided, graduated or ended), oldest first."""
    return store.select(CICO_ENROLMENT, _ACTIVE, order_by="enrolled_on, created_at")


def to_check_in_count(store: Store, day: date) -> int:
    """Running enrolments begun by ``day`` with no (not voided) card on it."""
    return int(store.db.execute(
        "SELECT count(*) FROM cico_enrolments AS e WHERE e.voided = 0 AND e.phase IN ('cico', 'self_monitoring') "
        "AND e.enrolled_on <= ? AND NOT EXISTS (SELECT 1 FROM cico_days AS c WHERE c.enrolment_id = e.id "
        "AND c.voided = 0 AND c.date = ?)", [day.isoformat(), day.isoformat()]).fetchone()[0])


def enrolments_of_student(store: Store, student_id: str) -> list[CicoEnrolment]:
    """Every (not voided) enrolment of the student, newest first."""
    return store.select(CICO_ENROLMENT, "student_id = ?", [student_id], order_by="enrolled_on DESC, created_at DESC")


def active_enrolment_of(store: Store, student_id: str) -> CicoEnrolment | None:
    """The student's running enrolment, if any."""
    found = store.select(CICO_ENROLMENT, f"student_id = ? AND {_ACTIVE}", [student_id], limit=1)
    return found[0] if found else None


def card_of(store: Store, enrolment_id: str, day: date) -> CicoDay | None:
    """The (not voided) card of one enrolment on one day."""
    found = store.select(CICO_DAY, "enrolment_id = ? AND date = ?", [enrolment_id, day.isoformat()], limit=1)
    return found[0] if found else None


def cards_on(store: Store, day: date) -> list[CicoDay]:
    """Every (not voided) card of one day."""
    return store.select(CICO_DAY, "date = ?", [day.isoformat()], order_by="created_at")


def cards_between(store: Store, enrolment_id: str, start: date, end: date) -> list[CicoDay]:
    """One enrolment's cards of ``start``..``end``, oldest first."""
    return store.select(CICO_DAY, "enrolment_id = ? AND date BETWEEN ? AND ?",
                        [enrolment_id, start.isoformat(), end.isoformat()], order_by="date")


def incident_days(store: Store, student_id: str, start: date, end: date | None = None) -> list[tuple[str, str]]:
    """(day, incident id) of the (not voided) incidents naming the student from ``start`` (to ``end``)."""
    rows = store.db.execute(
        "SELECT i.day, i.id FROM record_students AS rs JOIN incidents AS i ON i.id = rs.record_id "
        "WHERE rs.record_type = 'incident' AND rs.student_id = ? AND i.voided = 0 AND i.day >= ? AND i.day <= ? "
        "ORDER BY i.occurred_at", [student_id, start.isoformat(), (end or date.max).isoformat()]).fetchall()
    return [(r[0], r[1]) for r in rows]
