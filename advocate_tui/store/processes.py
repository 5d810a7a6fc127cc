"""The queries of restorative processes (table ``processes``, migration m010).

Writes go through the store's record methods (``add``, ``set_status``, ``amend``, ``void``), each with
its audit entry; here only reads: open processes, a referral's process, what is due on a day (read
inside the JSON of items, check-ins and meetings), a range's processes and the incidents that tell of
repeated harm. No Textual here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from .core import Store
from ..models.kinds import PROCESS, REFERRAL

if TYPE_CHECKING:
    from ..models.process import Process
    from ..models.referral import Referral


def open_processes(store: Store) -> list[Process]:
    """Every process not closed (nor voided), oldest first."""
    return store.select(PROCESS, "closed_at IS NULL", order_by="started_at")


def board_processes(store: Store, closed_since: date) -> list[Process]:
    """The board's processes: every open one, and those closed on or after ``closed_since``."""
    return store.select(PROCESS, "closed_at IS NULL OR substr(closed_at, 1, 10) >= ?", [closed_since.isoformat()],
                        order_by="started_at")


def process_of_referral(store: Store, referral_id: str) -> Process | None:
    """The (not voided) process started from this referral, if any."""
    found = store.select(PROCESS, "referral_id = ?", [referral_id], limit=1)
    return found[0] if found else None


def referrals_with_process(store: Store, referral_ids: list[str]) -> set[str]:
    """Which of these referrals have a (not voided) process."""
    if not referral_ids:
        return set()
    marks = ",".join("?" * len(referral_ids))
    rows = store.db.execute(f"SELECT referral_id FROM processes WHERE voided = 0 AND referral_id IN ({marks})",
                            referral_ids).fetchall()
    return {r[0] for r in rows}


#: an open process with something due on or before the day: an open item, a check-in not done, or a
#: meeting planned for that very day (times are stored in the school's zone, so the first ten
#: characters are its date)
_DUE = """
closed_at IS NULL AND (
    EXISTS (SELECT 1 FROM json_each(processes.items) AS i
            WHERE json_extract(i.value, '$.status') = 'open' AND json_extract(i.value, '$.due') <= :day)
    OR EXISTS (SELECT 1 FROM json_each(processes.check_ins) AS c
               WHERE json_extract(c.value, '$.done_at') IS NULL AND json_extract(c.value, '$.due') <= :day)
    OR EXISTS (SELECT 1 FROM json_each(processes.meetings) AS m
               WHERE json_extract(m.value, '$.held') = 0 AND substr(json_extract(m.value, '$.at'), 1, 10) = :day)
)
"""


def processes_with_due(store: Store, day: date) -> list[Process]:
    """Open processes with an item or check-in due on or before ``day``, or a meeting planned that day."""
    return store.select(PROCESS, _DUE, {"day": day.isoformat()}, order_by="started_at")


def processes_between(store: Store, start: date, end: date) -> list[Process]:
    """Processes started on the school days ``start``..``end`` (not voided)."""
    return store.select(PROCESS, "day BETWEEN ? AND ?", [start.isoformat(), end.isoformat()], order_by="started_at")


def referral_times_between(store: Store, start: date, end: date) -> list[tuple[str, datetime]]:
    """(id, referred_at) of the referrals made on the school days ``start``..``end`` (not voided): what
    the figures need of them, without building each referral (a decade's 14,000: ~2 s encrypted)."""
    rows = store.db.execute("SELECT id, referred_at FROM referrals WHERE day BETWEEN ? AND ? AND voided = 0 "
                            "ORDER BY referred_at", [start.isoformat(), end.isoformat()]).fetchall()
    return [(rid, datetime.fromisoformat(at)) for rid, at in rows]


def referrals_between(store: Store, start: date, end: date) -> list[Referral]:
    """Referrals made on the school days ``start``..``end`` (not voided)."""
    return store.select(REFERRAL, "day BETWEEN ? AND ?", [start.isoformat(), end.isoformat()],
                        order_by="referred_at")


def processes_of_student(store: Store, student_id: str) -> list[Process]:
    """Every (not voided) process the student is a party of, newest first."""
    return store.select(PROCESS, "id IN (SELECT record_id FROM record_students WHERE record_type = 'process' "
                                 "AND student_id = ?)", [student_id])


def processes_of_students(store: Store, student_ids: list[str]) -> list[Process]:
    """Every (not voided) process any of ``student_ids`` is a party of, newest first."""
    marks = ",".join("?" * len(student_ids))
    return store.select(PROCESS, "id IN (SELECT record_id FROM record_students WHERE record_type = 'process' "
                                 f"AND student_id IN ({marks}))", list(student_ids))


def harm_days(store: Store, student_id: str, after: date, until: date) -> list[date]:
    """The school days of (not voided) incidents after ``after`` up to ``until`` in which the student was
    the responsible one."""
    rows = store.db.execute(
        "SELECT i.day FROM record_students AS rs JOIN incidents AS i ON i.id = rs.record_id "
        "WHERE rs.record_type = 'incident' AND rs.student_id = ? AND rs.role = 'responsible' AND i.voided = 0 "
        "AND i.day > ? AND i.day <= ? ORDER BY i.day", [student_id, after.isoformat(), until.isoformat()]).fetchall()
    return [date.fromisoformat(r[0]) for r in rows]


def processes_changed_since(store: Store, since: str | None) -> list[str]:
    """Ids of the (not voided) processes with an audit entry after ``since`` (an ISO time; None: ever),
    oldest change first: what a handoff carries to the coordinator."""
    # CROSS JOIN: from the processes to their entries (idx_audit_record); joined the other way SQLite read
    # every entry of the audit trail (a decade's 290,000: ~5 s of CPU encrypted, each handoff review)
    rows = store.db.execute(
        "SELECT a.record_id, min(a.seq) FROM processes AS p CROSS JOIN audit AS a ON a.record_id = p.id "
        "WHERE a.record_type = 'process' AND p.voided = 0 AND (? IS NULL OR a.at > ?) "
        "GROUP BY a.record_id ORDER BY 2", [since, since]).fetchall()
    return [r[0] for r in rows]


def processes_worked_here_since(store: Store, since: str | None) -> dict[str, str]:
    """Process id -> the time of its latest change made at this desk (not an import) after ``since`` (an ISO
    time; None: ever): what a coordinator's reply carries back to the school."""
    rows = store.db.execute(
        "SELECT record_id, max(at) FROM audit WHERE record_type = 'process' AND action != 'import' "
        "AND (? IS NULL OR at > ?) GROUP BY record_id ORDER BY 2", [since, since]).fetchall()
    return {r[0]: r[1] for r in rows}


def last_change_here(store: Store, process_id: str) -> str | None:
    """The time of the latest change made to the process at this desk (not an import), if any."""
    row = store.db.execute("SELECT max(at) FROM audit WHERE record_type = 'process' AND record_id = ? "
                           "AND action != 'import'", [process_id]).fetchone()
    return row[0] if row else None
