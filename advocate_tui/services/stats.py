"""The coordinator's data: the PBIS "Big 5" and the rest of the program's counts for a range of days.

Big 5: incidents by behaviour, location, time of day (hour and bell period), day of week, and the
students with the most incidents. Then referrals by destination and status, attendance follow-ups by
kind and outcome, and door and patrol exceptions. Counts come from SQL aggregates in
:mod:`advocate_tui.store.stats_queries` (indexed ``day`` ranges). No Textual here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text_fit import counted
from ..models.enums import AttendanceAction, AttendanceKind, DoorStatus, FollowUpStatus, ReferralStatus
from ..store import stats_queries as q
from .processes import figure_tables as process_tables
from .day_stats import day_tables

__all__ = ["DateRange", "StatTable", "Stats", "range_for", "school_year", "compute", "RANGE_KEYS"]

#: keys of the data screen and the ranges they pick
RANGE_KEYS = {"t": "today", "w": "week", "m": "month", "y": "year", "a": "all"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: without a year in the profile's calendar, the school year starts on this month (August)
SCHOOL_YEAR_MONTH = 8
TOP_STUDENTS = 10


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of school days with a name for people ("this week")."""

    start: dt.date
    end: dt.date
    name: str = ""

    @property
    def label(self) -> str:
        span = self.start.isoformat() if self.start == self.end else f"{self.start.isoformat()} – {self.end.isoformat()}"
        return f"{self.name} ({span})" if self.name else span


@dataclass
class StatTable:
    """One table of counts: a key, a title, (label, count) rows and what the label column is."""

    key: str
    title: str
    rows: list[tuple[str, int | float]]
    column: str = "what"
    #: rows name students (never in the de-identified report)
    identifying: bool = False
    big5: bool = False
    #: for a table of rates: the count behind each row (the report hides rates of small counts)
    basis: dict[str, int] | None = None
    #: the name of the value column
    value: str = "count"
    #: what each row is about, when it can be opened (student numbers for the students table)
    keys: list[str] | None = None
    #: for a table of rates: the school days each rate is over (rate = basis ÷ days)
    days: dict[str, int] | None = None
    #: rows in a natural order (hours, months, bell periods), not largest first
    ordered: bool = False
    #: a table of averages: a row is hidden in the report when fewer than 5 answers (``days``) are behind it
    suppress_by_days: bool = False
    #: a table of measures, not the parts of one total: each row that counts some of another row (label
    #: -> that row's label) is suppressed with it as a pair, never the table as a whole
    parts: dict[str, str] | None = None

    @property
    def total(self) -> int | float:
        return round(sum(n for _, n in self.rows), 2) if self.basis is None else sum(self.basis.values())


@dataclass
class Stats:
    """Every count for one range, as tables in screen order (the Big 5 first)."""

    range: DateRange
    incidents: int
    major: int
    referrals: int
    followups: int
    door_exceptions: int
    patrol_exceptions: int
    incident_days: int
    tables: list[StatTable] = field(default_factory=list)
    #: school days in the range (since the first day on record, up to today) by the profile's calendar
    school_days: int | None = None
    #: the school counted (a coordinator's database), None for every school on file
    school: str | None = None

    def table(self, key: str) -> StatTable:
        return next(t for t in self.tables if t.key == key)

    def headline(self) -> str:
        per_day = f"{self.incidents / self.incident_days:.1f}" if self.incident_days else "0"
        days = "" if self.school_days is None else f"{counted(self.school_days, 'school day')} · "
        exceptions = "exception" if self.door_exceptions + self.patrol_exceptions == 1 and \
            0 in (self.door_exceptions, self.patrol_exceptions) else "exceptions"
        return (f"{self.range.label}: {days}{counted(self.incidents, 'incident')} ({self.major} major, {per_day} "
                f"a day with any) · {counted(self.referrals, 'referral')} · "
                f"{counted(self.followups, 'attendance follow-up')} · "
                f"{self.door_exceptions} door and {self.patrol_exceptions} patrol {exceptions}")


def school_year(day: dt.date, calendar=None, start_month: int = SCHOOL_YEAR_MONTH) -> DateRange:
    """The school year holding ``day``: from the profile's calendar (``SchoolCalendar``: its first to
    its last day, moved by whole years), else 1 August to 31 July."""
    found = calendar.year_of(day) if calendar is not None else None
    if found is not None:
        start, end = found
    else:
        first_year = day.year if day.month >= start_month else day.year - 1
        start = dt.date(first_year, start_month, 1)
        end = dt.date(first_year + 1, start_month, 1) - dt.timedelta(days=1)
    years = f"{start.year}–{str(end.year)[2:]}" if end.year != start.year else str(start.year)
    return DateRange(start, end, f"school year {years}")


def range_for(key: str, today: dt.date, store=None, calendar=None) -> DateRange:
    """The range for a data-screen key: t today, w this week, m this month, y school year (from the
    profile's ``calendar`` when given), a all."""
    if key == "t":
        return DateRange(today, today, "today")
    if key == "w":
        start = today - dt.timedelta(days=today.weekday())
        return DateRange(start, start + dt.timedelta(days=6), "this week")
    if key == "m":
        start = today.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return DateRange(start, nxt - dt.timedelta(days=1), "this month")
    if key == "y":
        return school_year(today, calendar)
    if key == "a":
        span = q.day_span(store) if store is not None else None
        if span is None:
            return DateRange(today, today, "all")
        return DateRange(dt.date.fromisoformat(span[0]), max(dt.date.fromisoformat(span[1]), today), "all")
    raise ValueError(f"unknown range key {key!r}")


def _label(enum, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _relabel(rows, enum) -> list[tuple[str, int]]:
    return [(_label(enum, k), n) for k, n in rows]


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


def compute(desk, rng: DateRange, school: str | None = None) -> Stats:
    """Every count for ``rng`` (inclusive days) from the desk's database; in a coordinator's database
    ``school`` (a short name) counts that school's records only (None: every school; the school days
    are the coordinator profile's calendar's)."""
    store, s, e, sc = desk.store, rng.start.isoformat(), rng.end.isoformat(), school
    school_days = school_days_by_month(desk, rng)
    minutes = q.incidents_by_minute(store, s, e, sc)
    per_student = q.incidents_per_student(store, s, e, school=sc)
    top = per_student[:TOP_STUDENTS]
    known = store.students_by_id([sid for sid, _ in top])
    door_rows = q.door_exceptions(store, s, e, sc)
    months = q.incidents_by_month(store, s, e, sc)
    patrol_rows = q.patrol_exceptions(store, s, e, sc)
    tables = [
        StatTable("behavior", "Incidents by behaviour", q.incidents_by(store, "behavior", s, e, sc), "behaviour",
                  big5=True),
        StatTable("location", "Incidents by location", q.incidents_by(store, "location", s, e, sc), "location",
                  big5=True),
        StatTable("period", "Incidents by bell period", _by_period(minutes, desk.profile), "period", big5=True,
                  ordered=True),
        StatTable("hour", "Incidents by hour", _by_hour(minutes), "hour", big5=True, ordered=True),
        StatTable("weekday", "Incidents by day of week", _weekdays(q.incidents_by_weekday(store, s, e, sc)), "day",
                  big5=True, ordered=True),
        per_school_day(months, q.school_days_by_month(store, s, e, sc), school_days),
        StatTable("students", "Students with the most incidents",
                  [(_student_label(known, sid), n) for sid, n in top], "student",
                  identifying=True, big5=True, keys=[sid for sid, _ in top]),
        StatTable("tiers", "Students by number of incidents", student_tiers(per_student), "incidents",
                  ordered=True),
        StatTable("month", "Incidents by month", months, "month", ordered=True),
        StatTable("ref_destination", "Referrals by destination", q.referrals_by(store, "destination", s, e, sc),
                  "destination"),
        StatTable("ref_status", "Referrals by status",
                  _relabel(q.referrals_by(store, "status", s, e, sc), ReferralStatus), "status"),
        StatTable("att_kind", "Attendance follow-ups by kind",
                  _relabel(q.attendance_by(store, "attendance_kind", s, e, sc), AttendanceKind), "kind"),
        StatTable("att_status", "Attendance follow-ups by outcome",
                  _relabel(q.attendance_by(store, "status", s, e, sc), FollowUpStatus), "outcome"),
        StatTable("att_action", "Attendance follow-up actions",
                  _relabel(q.attendance_actions(store, s, e, sc), AttendanceAction), "action"),
        StatTable("doors", "Door exceptions by door", door_rows, "door"),
        StatTable("door_status", "Door exceptions by what was found",
                  _relabel(q.door_exceptions_by_status(store, s, e, sc), DoorStatus), "found"),
        StatTable("patrol", "Patrol exceptions by zone", patrol_rows, "zone"),
        *process_tables(desk, rng.start, rng.end, school),  # restorative processes (issue 12)
        *day_tables(desk, rng, school),  # hall sweeps, the Peace Room, CICO (issue 14)
    ]
    level = dict(q.incidents_by(store, "level", s, e, sc))
    return Stats(
        range=rng, incidents=q.total(store, "incidents", s, e, school=sc), major=level.get("major", 0),
        referrals=q.total(store, "referrals", s, e, school=sc),
        followups=q.total(store, "attendance_followups", s, e, school=sc),
        door_exceptions=sum(n for _, n in door_rows), patrol_exceptions=sum(n for _, n in patrol_rows),
        incident_days=q.incident_days(store, s, e, sc), tables=tables, school_days=sum(school_days.values()),
        school=school,
    )


def _student_label(known: dict, sid: str) -> str:
    """'Ana Garcia (S1001 · gr 09 · H-101)', with the school's short name in a coordinator's database."""
    student = known.get(sid)
    if student is None:
        return sid
    return student.describe() + (f" · {student.school}" if student.school else "")
