"""The coordinator's data: the PBIS "Big 5" and the rest of the program's counts for a range of days.

Each kind makes its own tables (:mod:`.kinds`: ``tables``, in their ``tables_place``): first the Big 5
(incidents by behaviour, location, time of day, day of week, and the students with the most incidents,
:mod:`.incident_stats`), then referrals by destination and status, attendance follow-ups by kind and
outcome, door and patrol exceptions, restorative processes, sweeps, the Peace Room and CICO. Here: the
ranges, the headline and the gathering. Counts come from SQL aggregates in
:mod:`advocate_tui.store.stats_queries` (indexed ``day`` ranges). No Textual here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..store import stats_queries as q
from .incident_stats import incident_counts, per_school_day, school_days_by_month, student_tiers
from .kinds import kinds
from .stat_table import DateRange, Figures, StatTable
from .text_fit import counted

__all__ = ["DateRange", "StatTable", "Stats", "range_for", "school_year", "compute", "RANGE_KEYS", "student_tiers",
           "per_school_day"]

#: keys of the data screen and the ranges they pick
RANGE_KEYS = {"t": "today", "w": "week", "m": "month", "y": "year", "a": "all"}
#: without a year in the profile's calendar, the school year starts on this month (August)
SCHOOL_YEAR_MONTH = 8


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


def compute(desk, rng: DateRange, school: str | None = None) -> Stats:
    """Every count for ``rng`` (inclusive days) from the desk's database; in a coordinator's database
    ``school`` (a short name) counts that school's records only (None: every school; the school days
    are the coordinator profile's calendar's)."""
    fig = Figures(desk, rng, school)
    # each kind's tables, in their places on the data screen (the incidents' Big 5 first)
    parts = sorted((k for k in kinds() if k.tables is not None), key=lambda k: k.tables_place)
    tables = [table for kind in parts for table in kind.tables(fig)]
    store, (s, e), sc = desk.store, fig.span, school
    school_days = fig.once("school_days", lambda: school_days_by_month(desk, rng))
    door_rows = fig.once("door_exceptions", lambda: q.door_exceptions(store, s, e, sc))
    patrol_rows = fig.once("patrol_exceptions", lambda: q.patrol_exceptions(store, s, e, sc))
    counts = incident_counts(fig)
    level = dict(counts["level"])
    (days, incidents), = counts["days"]
    return Stats(
        range=rng, incidents=incidents, major=level.get("major", 0),
        referrals=q.total(store, "referrals", s, e, school=sc),
        followups=q.total(store, "attendance_followups", s, e, school=sc),
        door_exceptions=sum(n for _, n in door_rows), patrol_exceptions=sum(n for _, n in patrol_rows),
        incident_days=int(days), tables=tables, school_days=sum(school_days.values()),
        school=school,
    )
