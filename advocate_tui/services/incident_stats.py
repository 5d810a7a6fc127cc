"""The incidents' figures: the PBIS "Big 5" (by behaviour, location, bell period and hour, day of week, the
students with the most incidents), incidents per school day and by month, and the students by how many
incidents they had — the incident kind's tables on the data screen and in ``advocate report``. Counts come
from SQL aggregates in :mod:`advocate_tui.store.stats_queries`. No Textual here.
"""

from __future__ import annotations

import datetime as dt

from ..store import stats_queries as q
from .stat_table import DateRange, Figures, StatTable

__all__ = ["tables", "incident_counts", "student_tiers", "per_school_day", "school_days_by_month", "TOP_STUDENTS"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP_STUDENTS = 10


def tables(fig: Figures) -> list[StatTable]:
    """The incident tables of the range, the Big 5 first."""
    desk, (s, e), sc = fig.desk, fig.span, fig.school
    store = desk.store
    school_days = fig.once("school_days", lambda: school_days_by_month(desk, fig.range))
    counts = incident_counts(fig)
    minutes = counts["minute"]
    per_student = q.incidents_per_student(store, s, e, school=sc)
    top = per_student[:TOP_STUDENTS]
    known = store.students_by_id([sid for sid, _ in top])
    months = counts["month"]
    return [
        StatTable("behavior", "Incidents by behaviour", counts["behavior"], "behaviour", big5=True),
        StatTable("location", "Incidents by location", counts["location"], "location", big5=True),
        StatTable("period", "Incidents by bell period", _by_period(minutes, desk.profile), "period", big5=True,
                  ordered=True),
        StatTable("hour", "Incidents by hour", _by_hour(minutes), "hour", big5=True, ordered=True),
        StatTable("weekday", "Incidents by day of week", _weekdays(counts["weekday"]), "day",
                  big5=True, ordered=True),
        per_school_day(months, q.school_days_by_month(store, s, e, sc), school_days),
        StatTable("students", "Students with the most incidents",
                  [(_student_label(known, sid), n) for sid, n in top], "student",
                  identifying=True, big5=True, keys=[sid for sid, _ in top]),
        StatTable("tiers", "Students by number of incidents", student_tiers(per_student), "incidents",
                  ordered=True),
        StatTable("month", "Incidents by month", months, "month", ordered=True),
    ]


def incident_counts(fig: Figures) -> dict[str, list[tuple[str, int]]]:
    """The range's incidents counted every way the tables and the headline show them, once per :class:`Figures`
    (one read of their index: :func:`advocate_tui.store.stats_queries.incident_counts`)."""
    (s, e), sc = fig.span, fig.school
    return fig.once("incident_counts", lambda: q.incident_counts(fig.desk.store, s, e, sc))


def _by_hour(minutes) -> list[tuple[str, int]]:
    hours: dict[str, int] = {}
    for hhmm, n in minutes:
        hour = f"{hhmm[:2]}:00" if hhmm[:2].isdigit() else "?"
        hours[hour] = hours.get(hour, 0) + n
    return sorted(hours.items())


def _by_period(minutes, profile) -> list[tuple[str, int]]:
    order = {p.name: i for i, p in enumerate(profile.bell_schedule)}
    found: dict[str, int] = {}
    for hhmm, n in minutes:
        try:
            t = dt.time(int(hhmm[:2]), int(hhmm[3:5]))
        except ValueError:
            continue
        period = profile.period_at(t)
        if period is not None:
            name = period.name
        elif t < profile.bell_schedule[0].start:
            name = "before school"
        elif t >= profile.bell_schedule[-1].end:
            name = "after school"
        else:
            name = "passing time"
        found[name] = found.get(name, 0) + n
    rank = {"before school": -1, "passing time": 98, "after school": 99}
    return sorted(found.items(), key=lambda kv: order.get(kv[0], rank.get(kv[0], 50)))


def _weekdays(rows) -> list[tuple[str, int]]:
    counts = {int(k): n for k, n in rows if k.isdigit()}
    # SQLite: 0 is Sunday; show Monday first, and the weekend only when something happened then
    out = [(WEEKDAYS[(w - 1) % 7], counts.get(w, 0)) for w in (1, 2, 3, 4, 5, 6, 0)]
    return [(d, n) for d, n in out if n or d not in ("Saturday", "Sunday")]


def student_tiers(per_student) -> list[tuple[str, int]]:
    """How many students had 1, 2–5 and 6 or more incidents (the PBIS tiers; no one is named)."""
    tiers = {"1 incident": 0, "2–5 incidents": 0, "6 or more incidents": 0}
    for _, n in per_student:
        key = "1 incident" if n == 1 else ("2–5 incidents" if n <= 5 else "6 or more incidents")
        tiers[key] += 1
    return list(tiers.items())


def per_school_day(months, days, school_days: dict[str, int] | None = None) -> StatTable:
    """PBIS "average referrals per day per month": incidents per school day, by month.

    ``days`` are the days the desk was open, by month; ``school_days`` the calendar's school days by
    month. A month the desk was open is divided by its school days (by its open days when the
    calendar has none in it, or is not given)."""
    counts, open_days = dict(months), dict(days)
    school = school_days or {}
    divisors = {m: school.get(m) or n for m, n in open_days.items()}
    rows = [(m, round(counts.get(m, 0) / n, 2)) for m, n in sorted(divisors.items()) if n]
    return StatTable("per_day", "Incidents per school day, by month", rows, "month", big5=True,
                     basis={m: counts.get(m, 0) for m, _ in rows}, value="per day",
                     days={m: divisors[m] for m, _ in rows}, ordered=True)


def school_days_by_month(desk, rng: DateRange) -> dict[str, int]:
    """The calendar's school days in ``rng`` by month "YYYY-MM": from the first day anything is on
    record (a desk that started in October counts no September) up to today."""
    span = q.day_span(desk.store)
    if span is None:
        return {}
    start = max(rng.start, dt.date.fromisoformat(span[0]))
    end = min(rng.end, desk.clock.today())
    return desk.profile.calendar.school_days_by_month(start, end) if start <= end else {}


def _student_label(known: dict, sid: str) -> str:
    """'Ana Garcia (S1001 · gr 09 · H-101)', with the school's short name in a coordinator's database."""
    student = known.get(sid)
    if student is None:
        return sid
    return student.describe() + (f" · {student.school}" if student.school else "")
