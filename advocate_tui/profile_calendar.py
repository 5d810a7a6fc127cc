"""The school calendar in a profile: the school year, the weekdays taught, holidays and breaks, and which days are
school days."""

import datetime as dt
from dataclasses import field
from typing import Annotated, Any

from .profile_fields import After, Before, ItemError, Name, Strict, listed, strict


# --- the school calendar -----------------------------------------------------------------------

#: weekdays as a profile names them, Monday first (the index is ``date.weekday()``)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: how far the calendar looks for a school day before giving up (a year and a bit)
_SEARCH_DAYS = 400


def _to_weekday(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        for key, name in zip(WEEKDAYS, _WEEKDAY_NAMES):
            if len(text) >= 3 and name.lower().startswith(text):
                return key
    raise ValueError(f'must be a weekday like "mon" or "Monday", not {value!r}')


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError(f"must be a date like 2026-08-17 without a time, not {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date like 2026-08-17, not {value!r}")


Day = Annotated[dt.date, Before(_to_date)]
Weekday = Annotated[str, Before(_to_weekday)]


def _years_later(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later (28 February for a 29 February that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _not_before_start(value: dt.date | None, info: Any) -> dt.date | None:
    start = info.data.get("start")
    if value is not None and start is not None and value < start:
        raise ValueError(f"must be on or after start ({start.isoformat()})")
    return value


@strict
class DayOff(Strict):
    """A holiday or break: its name and first day, and its last day when it is longer than one."""

    name: Name
    start: Day
    end: Annotated[Day | None, After(_not_before_start, with_info=True)] = None

    @property
    def last(self) -> dt.date:
        """The last day off (``start`` for a single day)."""
        return self.end or self.start

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.last


@strict
class SchoolCalendar(Strict):
    """Which days are school days: the school year, the weekdays taught, holidays and breaks.

    Without ``year_start``/``year_end`` every taught weekday is a school day. Next to the profile's
    year the calendar also knows the gap before and after it ("between school years"); further
    away (an older year's records) taught weekdays count.
    """

    year_start: Day | None = None
    year_end: Day | None = None
    school_days: Annotated[list[Weekday], listed("school day")] = field(
        default_factory=lambda: list(WEEKDAYS[:5]))
    holidays: list[DayOff] = field(default_factory=list)

    def _validated(self) -> "SchoolCalendar":
        start, end = self.year_start, self.year_end
        if (start is None) != (end is None):
            raise ItemError("give both year_start and year_end (the first and last day of school)",
                             "year_end" if end is None else "year_start")
        if start is not None and end is not None:
            if end <= start:
                raise ItemError(f"must be after year_start ({start.isoformat()})", "year_end")
            if (end - start).days > 400:
                raise ItemError("a school year is at most 13 months: check the year", "year_end")
        return self

    @property
    def has_year(self) -> bool:
        """True when the profile gives the school year's first and last day."""
        return self.year_start is not None

    def _between_years(self, day: dt.date) -> bool:
        if self.year_start is None or self.year_end is None:
            return False
        after = self.year_end < day < _years_later(self.year_start, 1)
        before = _years_later(self.year_end, -1) < day < self.year_start
        return after or before

    def day_off(self, day: dt.date) -> str | None:
        """Why there is no school on ``day`` ("Thanksgiving break", "weekend"…), or None on a school day."""
        for off in self.holidays:
            if off.covers(day):
                return off.name
        if self._between_years(day):
            return "between school years"
        weekday = day.weekday()
        if WEEKDAYS[weekday] not in self.school_days:
            return "weekend" if weekday >= 5 else f"no school on {_WEEKDAY_NAMES[weekday]}s"
        return None

    def is_school_day(self, day: dt.date) -> bool:
        return self.day_off(day) is None

    def nearest(self, day: dt.date, step: int = 1) -> dt.date:
        """``day`` if it is a school day, else the next one (the one before with ``step=-1``)."""
        probe = day
        for _ in range(_SEARCH_DAYS):
            if self.is_school_day(probe):
                return probe
            probe += dt.timedelta(days=step)
        return day

    def shift(self, day: dt.date, n: int) -> dt.date:
        """``n`` school days after ``day`` (before it when ``n`` is negative; ``day`` for 0)."""
        step = 1 if n >= 0 else -1
        probe = day
        for _ in range(abs(n)):
            probe = self.nearest(probe + dt.timedelta(days=step), step)
        return probe

    def school_days_by_month(self, start: dt.date, end: dt.date) -> dict[str, int]:
        """School days from ``start`` to ``end`` (inclusive), by month "YYYY-MM" (months with none left out)."""
        out: dict[str, int] = {}
        day = start
        while day <= end:
            if self.is_school_day(day):
                key = f"{day.year:04d}-{day.month:02d}"
                out[key] = out.get(key, 0) + 1
            day += dt.timedelta(days=1)
        return out

    def school_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many school days from ``start`` to ``end`` (inclusive)."""
        return sum(self.school_days_by_month(start, end).values())

    def year_of(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        """The school year holding ``day`` (the profile's year moved by whole years), or None when the
        profile gives no year. A day between two years belongs to the year before it."""
        if self.year_start is None or self.year_end is None:
            return None
        shift = day.year - self.year_start.year
        if _years_later(self.year_start, shift) > day:
            shift -= 1
        return _years_later(self.year_start, shift), _years_later(self.year_end, shift)
