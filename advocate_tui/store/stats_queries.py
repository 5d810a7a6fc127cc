"""Read-only queries for the coordinator's data (PBIS "Big 5" and the rest) and the roster import.

Every record query is bounded by an inclusive range of school days on the indexed ``day`` column and
skips voided records, so it stays fast on several years of data. Each returns ``[(key, count), ...]``
largest first (ties by key), where ``key`` is the stored value (a behaviour, a door, a status...).
In a coordinator's database each takes ``school`` (a short name) to count one school's records only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .students import student_of_row

if TYPE_CHECKING:
    from ..models.student import Student
    from .core import Store

Counts = list[tuple[str, int]]

#: Incident roles counted as "the student's incident" (PBIS: the student referred, not the harmed or witnesses).
COUNTED_ROLES = ("responsible", "involved")


#: the record type (``Record.kind``) of each table the counts read
_KINDS = {"incidents": "incident", "referrals": "referral", "attendance_followups": "attendance_followup",
          "door_checks": "door_check", "patrol_rounds": "patrol_round", "contact_notes": "contact_note"}


def _counts(store: "Store", sql: str, params: list) -> Counts:
    return [(str(r[0]) if r[0] is not None else "", int(r[1])) for r in store.db.execute(sql, params).fetchall()]


def _school(table: str, school: str | None, alias: str = "") -> tuple[str, list]:
    """SQL (and its parameters) keeping the rows of one school in a coordinator's database: the records
    whose handoff came from that school (``record_schools``); nothing for all schools."""
    if school is None:
        return "", []
    return (f"AND {alias}id IN (SELECT record_id FROM record_schools WHERE record_type = ? AND school = ?)",
            [_KINDS[table], school])


def _grouped(store: "Store", table: str, expr: str, start: str, end: str, extra: str = "",
             school: str | None = None) -> Counts:
    only, params = _school(table, school)
    sql = (f"SELECT {expr} AS k, count(*) AS n FROM {table} WHERE day BETWEEN ? AND ? AND voided = 0 {extra} {only} "
           "GROUP BY k ORDER BY n DESC, k")
    return _counts(store, sql, [start, end, *params])


def incidents_by(store: "Store", column: str, start: str, end: str, school: str | None = None) -> Counts:
    """Incidents by ``behavior``, ``location`` or ``level`` (of one school in a coordinator's database)."""
    if column not in ("behavior", "location", "level", "motivation"):
        raise ValueError(column)
    return _grouped(store, "incidents", column, start, end, school=school)


def incidents_by_minute(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Incidents by school wall-clock time ``HH:MM`` (services fold these into hours or bell periods)."""
    return _grouped(store, "incidents", "substr(occurred_at, 12, 5)", start, end, school=school)


def incidents_by_weekday(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Incidents by day of the week: '0' Sunday … '6' Saturday."""
    return _grouped(store, "incidents", "strftime('%w', day)", start, end, school=school)


def incidents_by_month(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Incidents by month 'YYYY-MM' (in calendar order, not by count)."""
    return sorted(_grouped(store, "incidents", "substr(day, 1, 7)", start, end, school=school))


#: the ways :func:`incident_counts` counts the incidents of a range, and the SQL of each over ``x`` (the
#: range's incidents) or ``d`` (their days with how many each)
_INCIDENT_SETS = {
    "behavior": "behavior FROM x", "location": "location FROM x", "level": "level FROM x",
    "minute": "minute FROM x", "weekday": "strftime('%w', day) FROM d", "month": "substr(day, 1, 7) FROM d",
}


def incident_counts(store: "Store", start: str, end: str, school: str | None = None) -> dict[str, Counts]:
    """The incidents of ``start``..``end`` counted every way the data screen shows them, in one read of
    their index (an encrypted decade: one pass over ~46,000 index entries instead of eight): "behavior",
    "location", "level", "minute", "weekday" as :func:`incidents_by`, :func:`incidents_by_minute` and
    :func:`incidents_by_weekday` give them (most first), "month" as :func:`incidents_by_month` (in calendar
    order), and "days": ``[(days with any, incidents)]``."""
    only, params = _school("incidents", school)
    parts = [f"SELECT '{name}', {key.replace(' FROM', ', sum(n) FROM')} GROUP BY 2" for name, key in _INCIDENT_SETS.items()]
    # (a SELECT around the WITH: the store answers a SELECT on its connection without sqlite-utils, lazydb)
    sql = ("SELECT * FROM (WITH x AS MATERIALIZED (SELECT day, substr(occurred_at, 12, 5) AS minute, behavior, "
           f"location, level, 1 AS n FROM incidents WHERE day BETWEEN ? AND ? AND voided = 0 {only}), "
           "d AS MATERIALIZED (SELECT day, count(*) AS n FROM x GROUP BY day) "
           + " UNION ALL ".join(parts) + " UNION ALL SELECT 'days', count(*), coalesce(sum(n), 0) FROM d)")
    found: dict[str, Counts] = {name: [] for name in (*_INCIDENT_SETS, "days")}
    for name, key, n in store.db.execute(sql, [start, end, *params]).fetchall():
        found[name].append((str(key) if key is not None else "", int(n)))
    for name, rows in found.items():
        rows.sort(key=(lambda r: r[0]) if name == "month" else (lambda r: (-r[1], r[0])))
    return found


def school_days_by_month(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Days the desk was open, by month 'YYYY-MM': days with a door check, a patrol round or an incident."""
    parts, params = [], []
    for table in ("door_checks", "patrol_rounds", "incidents"):
        only, extra = _school(table, school)
        parts.append(f"SELECT day FROM {table} WHERE day BETWEEN ? AND ? AND voided = 0 {only}")
        params += [start, end, *extra]
    sql = f"SELECT substr(day, 1, 7) AS k, count(*) AS n FROM ({' UNION '.join(parts)}) GROUP BY k ORDER BY k"
    return _counts(store, sql, params)


def incident_days(store: "Store", start: str, end: str, school: str | None = None) -> int:
    """How many distinct days have at least one incident."""
    only, params = _school("incidents", school)
    return store.db.execute(f"SELECT count(DISTINCT day) FROM incidents WHERE day BETWEEN ? AND ? AND voided = 0 {only}",
                            [start, end, *params]).fetchone()[0]


def incidents_per_student(store: "Store", start: str, end: str, limit: int | None = None,
                          school: str | None = None) -> Counts:
    """(student number, incidents) for students responsible for or involved in incidents, most first."""
    marks = ",".join("?" * len(COUNTED_ROLES))
    only, params = _school("incidents", school, "i.")
    if _most_incidents(store, start, end):
        # most of the file's incidents: walk their links in id order and look each incident's day up by
        # its id (idx_incidents_ids, m014), page after page (a decade: ~0.1 s of CPU against ~0.2 s for
        # the day range's plan below, which jumps into the links once per incident). A student is linked
        # to a record once (the links' primary key), so each link is one incident of that student.
        sql = (
            "SELECT rs.student_id AS k, count(*) AS n FROM record_students rs "
            "CROSS JOIN incidents i ON i.id = rs.record_id "
            f"WHERE rs.record_type = 'incident' AND (rs.role IS NULL OR rs.role IN ({marks})) "
            f"AND i.day BETWEEN ? AND ? AND i.voided = 0 {only} "
            "GROUP BY k ORDER BY n DESC, k" + (f" LIMIT {int(limit)}" if limit else "")
        )
        return _counts(store, sql, [*COUNTED_ROLES, start, end, *params])
    sql = (
        "SELECT rs.student_id AS k, count(DISTINCT i.id) AS n FROM incidents i "
        # CROSS JOIN keeps SQLite starting from the day range (without ANALYZE statistics it would start
        # from every incident link of the decade: 0.65 s instead of 0.02 s for a school year; bench/)
        "CROSS JOIN record_students rs ON rs.record_type = 'incident' AND rs.record_id = i.id "
        f"WHERE i.day BETWEEN ? AND ? AND i.voided = 0 AND (rs.role IS NULL OR rs.role IN ({marks})) {only} "
        "GROUP BY k ORDER BY n DESC, k" + (f" LIMIT {int(limit)}" if limit else "")
    )
    return _counts(store, sql, [start, end, *COUNTED_ROLES, *params])


def _most_incidents(store: "Store", start: str, end: str) -> bool:
    """Whether ``start``..``end`` covers at least half of the days from the first incident on file to
    the last (two index look-ups): then counting per student walks every incident's links."""
    first, last = store.db.execute("SELECT (SELECT min(day) FROM incidents), (SELECT max(day) FROM incidents)").fetchone()
    if first is None:
        return False
    lo, hi = max(start, first), min(end, last)
    if lo > hi:
        return False
    span = dt.date.fromisoformat(last) - dt.date.fromisoformat(first)
    return 2 * (dt.date.fromisoformat(hi) - dt.date.fromisoformat(lo)) >= span


def total(store: "Store", table: str, start: str, end: str, extra: str = "", school: str | None = None) -> int:
    if table not in _KINDS:
        raise ValueError(table)
    only, params = _school(table, school)
    return store.db.execute(f"SELECT count(*) FROM {table} WHERE day BETWEEN ? AND ? AND voided = 0 {extra} {only}",
                            [start, end, *params]).fetchone()[0]


def referrals_by(store: "Store", column: str, start: str, end: str, school: str | None = None) -> Counts:
    """Referrals by ``destination``, ``status``, ``purpose``, ``urgency`` or ``outcome`` (referral day)."""
    if column not in ("destination", "status", "purpose", "urgency", "outcome"):
        raise ValueError(column)
    extra = "AND outcome IS NOT NULL" if column == "outcome" else ""
    return _grouped(store, "referrals", column, start, end, extra, school)


def attendance_by(store: "Store", column: str, start: str, end: str, school: str | None = None) -> Counts:
    """Attendance follow-ups by ``attendance_kind`` or ``status`` (open / resolved)."""
    if column not in ("attendance_kind", "status"):
        raise ValueError(column)
    return _grouped(store, "attendance_followups", column, start, end, school=school)


def attendance_actions(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """What was done for attendance follow-ups (each action counted once per follow-up)."""
    only, params = _school("attendance_followups", school, "f.")
    # (actions != '[]' drops none that count, and lets SQLite read idx_attendance_followups_actions, m014)
    sql = ("SELECT a.value AS k, count(*) AS n FROM attendance_followups f, json_each(f.actions) a "
           f"WHERE f.day BETWEEN ? AND ? AND f.voided = 0 AND f.actions != '[]' {only} GROUP BY k ORDER BY n DESC, k")
    return _counts(store, sql, [start, end, *params])


def door_exceptions(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Door checks that found a door not secure, by door."""
    return _grouped(store, "door_checks", "door", start, end, "AND status != 'secure'", school)


def door_exceptions_by_status(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Door checks that found a door not secure, by what was found (propped open, damaged...)."""
    return _grouped(store, "door_checks", "status", start, end, "AND status != 'secure'", school)


def patrol_exceptions(store: "Store", start: str, end: str, school: str | None = None) -> Counts:
    """Patrol checkpoints with an issue, by zone."""
    only, params = _school("patrol_rounds", school, "p.")
    # a checkpoint with the status "issue" has that word in quotes in the round's JSON: the instr() drops
    # only rounds without one, and lets SQLite read the checkpoints of the others from
    # idx_patrol_rounds_issues (m014) instead of every round's row
    sql = ("SELECT p.zone AS k, count(*) AS n FROM patrol_rounds p, json_each(p.checkpoints) c "
           "WHERE p.day BETWEEN ? AND ? AND p.voided = 0 AND instr(p.checkpoints, '\"issue\"') > 0 "
           f"AND json_extract(c.value, '$.status') = 'issue' {only} GROUP BY k ORDER BY n DESC, k")
    return _counts(store, sql, [start, end, *params])


def day_span(store: "Store") -> tuple[str, str] | None:
    """The first and last day with any incident, referral or follow-up (for "all")."""
    row = store.db.execute(
        "SELECT min(d), max(d) FROM (SELECT min(day) d FROM incidents UNION ALL SELECT max(day) FROM incidents "
        "UNION ALL SELECT min(day) FROM referrals UNION ALL SELECT max(day) FROM referrals "
        "UNION ALL SELECT min(day) FROM attendance_followups UNION ALL SELECT max(day) FROM attendance_followups "
        "UNION ALL SELECT min(day) FROM door_checks UNION ALL SELECT max(day) FROM door_checks)").fetchone()
    return (row[0], row[1]) if row and row[0] else None


def all_students(store: "Store") -> list[Student]:
    """Every student on file, active or not (the roster import compares a new roster against these)."""
    return [student_of_row(r) for r in store.db.query("SELECT * FROM students ORDER BY local_id")]


def former_names(store: "Store") -> set[str]:
    """Every name a student had before a roster change or correction (given, family, preferred), from
    the audit trail's student entries: notes written under it still hold it."""
    rows = store.db.execute(
        "SELECT DISTINCT json_extract(before, '$.given_name'), json_extract(before, '$.family_name'), "
        "json_extract(before, '$.preferred_name') FROM audit WHERE record_type = 'student' "
        "AND before IS NOT NULL AND json_valid(before)").fetchall()
    return {part for row in rows for part in row if isinstance(part, str) and part}
