"""The queries of hall sweeps (table ``sweeps``, migration m011).

Writes go through the store's record methods (``add``, ``set_status``, ``amend``, ``void``), each with its
audit entry; here only reads. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .core import Store
from ..models.kinds import SWEEP

if TYPE_CHECKING:
    from ..models.sweep import Sweep


def sweeps_between(store: Store, start: date, end: date) -> list[Sweep]:
    """Sweeps of the school days ``start``..``end`` (not voided), oldest first."""
    return store.select(SWEEP, "day BETWEEN ? AND ?", [start.isoformat(), end.isoformat()], order_by="met_at")


def sweep_days(store: Store, student_ids: list[str], start: date, end: date) -> dict[str, list[str]]:
    """For each student: the ids of the (not voided) sweeps that met them on ``start``..``end``, oldest first."""
    out: dict[str, list[str]] = {sid: [] for sid in student_ids}
    if not student_ids:
        return out
    marks = ",".join("?" * len(student_ids))
    rows = store.db.execute(
        f"SELECT rs.student_id, s.id FROM record_students AS rs JOIN sweeps AS s ON s.id = rs.record_id "
        f"WHERE rs.record_type = 'sweep' AND rs.student_id IN ({marks}) AND s.voided = 0 "
        f"AND s.day BETWEEN ? AND ? ORDER BY s.met_at", [*student_ids, start.isoformat(), end.isoformat()]).fetchall()
    for sid, sweep_id in rows:
        out[sid].append(sweep_id)
    return out


def sweeps_of_student(store: Store, student_id: str) -> list[Sweep]:
    """Every (not voided) sweep that met the student, newest first."""
    return store.select(SWEEP, "id IN (SELECT record_id FROM record_students WHERE record_type = 'sweep' "
                               "AND student_id = ?)", [student_id])
