"""The school's clock: "now", "today" and bell periods in the school's own timezone.

One `Clock` is made at the top of the app and passed down; nothing else asks the machine for the
time. Tests use `Clock.frozen(...)` and move it with `advance(...)`.

`parse_when` and `parse_date` turn the quick forms an advocate types ("10:40", "-15m", "P3",
"fri", "+3d") into school-zone times and dates, or raise `WhenError` with a short hint. With a
profile, dates follow its school calendar: "tomorrow" and "+3d" count school days (a weekend or a
break is stepped over); a date typed outright is taken as typed, and `Clock.day_off` says when it
has no school.

This module never imports Textual.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pendulum

if TYPE_CHECKING:
    from advocate_tui.profile import Period, SchoolProfile
    from advocate_tui.profile_calendar import SchoolCalendar

__all__ = ["Clock", "WhenError", "parse_date", "parse_when"]

TIME_HINT = "try 10:40, -15m or P3"
DATE_HINT = "try today, +3d, fri or 11/30"


class WhenError(ValueError):
    """Text that is not a time or date this app understands; str() is a short human hint."""


class Clock:
    """Time in the school's timezone.

    `profile_or_tz` is a `SchoolProfile` (which also gives bell periods) or a timezone (name
    or pendulum Timezone). `now_fn` returns the current instant (any timezone; a naive value is
    taken as UTC); by default the machine's clock.
    """

    def __init__(
        self,
        profile_or_tz: SchoolProfile | dt.tzinfo | str,
        now_fn: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.profile: SchoolProfile | None = None
        if isinstance(profile_or_tz, str):
            self.tz: dt.tzinfo = pendulum.timezone(profile_or_tz)
        elif isinstance(profile_or_tz, dt.tzinfo):
            self.tz = profile_or_tz
        else:
            self.profile = profile_or_tz
            self.tz = profile_or_tz.tz
        self._now_fn = now_fn or pendulum.now
        self._frozen_at: pendulum.DateTime | None = None

    @classmethod
    def frozen(
        cls, profile_or_tz: SchoolProfile | dt.tzinfo | str, at: dt.datetime | str
    ) -> Clock:
        """A clock stopped at `at` (an ISO string or naive datetime is read in the school zone)."""
        clock = cls(profile_or_tz)
        clock._frozen_at = clock._instant(at)
        clock._now_fn = lambda: clock._frozen_at
        return clock

    def _instant(self, at: dt.datetime | str) -> pendulum.DateTime:
        if isinstance(at, str):
            parsed = pendulum.parse(at, tz=self.tz)
            if not isinstance(parsed, pendulum.DateTime):
                raise ValueError(f"{at!r} is not a date and time")
            return parsed.in_timezone(self.tz)
        if at.tzinfo is None:
            return pendulum.instance(at, tz=self.tz)
        if isinstance(self.tz, pendulum.Timezone):
            # what ``in_timezone`` makes (the same wall time, offset and fold), from the standard
            # library's conversion: ~5 µs, pendulum's ~25 µs; a start's panes convert ~650 times
            local = at.astimezone(self.tz)
            return pendulum.DateTime(local.year, local.month, local.day, local.hour, local.minute, local.second,
                                     local.microsecond, tzinfo=self.tz, fold=local.fold)
        return pendulum.instance(at).in_timezone(self.tz)

    @property
    def is_frozen(self) -> bool:
        """True for a clock made with `Clock.frozen`."""
        return self._frozen_at is not None

    def advance(self, **kwargs: int | float) -> pendulum.DateTime:
        """Move a frozen clock on (pendulum `add` keywords: minutes=, hours=, days=...)."""
        if self._frozen_at is None:
            raise RuntimeError("only a frozen clock can be advanced")
        self._frozen_at = self._frozen_at.add(**kwargs)
        return self.now()

    def set(self, at: dt.datetime | str) -> pendulum.DateTime:
        """Stop a frozen clock at another instant (same rules as `frozen`)."""
        if self._frozen_at is None:
            raise RuntimeError("only a frozen clock can be set")
        self._frozen_at = self._instant(at)
        return self.now()

    def now(self) -> pendulum.DateTime:
        """The current instant in the school's timezone."""
        value = self._now_fn()
        return pendulum.instance(value).in_timezone(self.tz)

    def today(self) -> pendulum.Date:
        """The school's current date (not the machine's or UTC's)."""
        return self.now().date()

    def local(self, value: dt.datetime) -> pendulum.DateTime:
        """`value` as a school-zone DateTime (a naive value is taken as school wall time)."""
        return self._instant(value)

    def at(self, day: dt.date, time: dt.time) -> pendulum.DateTime:
        """Wall-clock `time` on `day` in the school zone."""
        return pendulum.datetime(
            day.year, day.month, day.day, time.hour, time.minute, time.second, tz=self.tz
        )

    def day_bounds(
        self, day: dt.date | str | None = None
    ) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """(start, end) of the school day `day` (default today): midnight to next midnight.

        The range is half-open, start <= t < end; on a DST change it lasts 23 or 25 hours.
        """
        if day is None:
            day = self.today()
        elif isinstance(day, str):
            day = dt.date.fromisoformat(day)
        start = pendulum.datetime(day.year, day.month, day.day, tz=self.tz)
        nxt = day + dt.timedelta(days=1)
        return start, pendulum.datetime(nxt.year, nxt.month, nxt.day, tz=self.tz)

    @property
    def calendar(self) -> SchoolCalendar | None:
        """The school calendar of the profile (None for a clock made from a bare timezone)."""
        return self.profile.calendar if self.profile is not None else None

    def day_off(self, day: dt.date | None = None) -> str | None:
        """Why ``day`` (default today) has no school — "Thanksgiving break", "weekend" — or None on a
        school day (and always None without a profile)."""
        calendar = self.calendar
        return calendar.day_off(self.today() if day is None else day) if calendar is not None else None

    def period_at(self, when: dt.datetime | None = None) -> Period | None:
        """The bell period at `when` (default now), or None outside periods, on a day without school
        or without a profile."""
        if self.profile is None:
            return None
        local = self.now() if when is None else self._instant(when)
        if self.day_off(local.date()) is not None:
            return None
        return self.profile.period_at(local.time())

    def label(self, when: dt.datetime | None = None) -> str:
        """"P3 · 10:42" inside a period, "10:42" outside; 24-hour school wall time."""
        local = self.now() if when is None else self._instant(when)
        period = self.period_at(local)
        hhmm = local.format("HH:mm")
        return f"{period.name} · {hhmm}" if period else hhmm


# --- parsing what people type ------------------------------------------------------------------

_AMPM = r"(?:\s*([ap])\.?(?:m\.?)?)?"
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?" + _AMPM)
_DIGITS = re.compile(r"(\d{1,2})(\d{2})" + _AMPM)
_RELATIVE = re.compile(r"-\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


#: the furthest back a relative time ("-15m") may reach, and a relative date ("+3d") away
MAX_BACK = dt.timedelta(days=31)
MAX_DAYS_AWAY = 366
#: the most school days "+Nd" may count (about a school year)
MAX_SCHOOL_DAYS_AWAY = 250


def _wall_time(text: str) -> dt.time | None:
    """"10:40", "1040", "9:05", "2:15pm", "2pm", "14:15:30" → time; None if not such a form."""
    m = _DIGITS.fullmatch(text)
    if m:
        hour, minute, second, half = int(m[1]), int(m[2]), 0, m[3]
    elif (m := _CLOCK.fullmatch(text)) and (m[2] or m[4]):
        hour, minute, second, half = int(m[1]), int(m[2] or 0), int(m[3] or 0), m[4]
    else:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def _time_on(day: dt.date, text: str, clock: Clock) -> pendulum.DateTime | None:
    """A wall time or a period name on `day`, or None."""
    if clock.profile is not None and (period := clock.profile.period_named(text)):
        return clock.at(day, period.start)
    if (t := _wall_time(text)) is not None:
        return clock.at(day, t)
    return None


def _time_error(raw: str, clock: Clock) -> WhenError:
    text = raw.strip()
    if re.fullmatch(r"p\d+", text, re.I) and clock.profile is not None:
        names = [p.name for p in clock.profile.bell_schedule]
        return WhenError(f'there is no period "{text}" — periods are {", ".join(names)}')
    return WhenError(f'"{text}" is not a time — {TIME_HINT}')


def parse_when(text: str, clock: Clock) -> pendulum.DateTime:
    """A school-zone DateTime from a quick form.

    "" or "now"; "10:40", "1040", "9:05", "2:15pm", "14:15" (today); "-15m", "-2h", "-1h30m";
    "P3" or another period name (its start today); "yesterday 10:40" or "today P3";
    "2026-11-20 10:40" (or any ISO date-time). Raises `WhenError`.
    """
    s = " ".join(text.strip().lower().split())
    now = clock.now()
    if s in ("", "now"):
        return now
    if (m := _RELATIVE.fullmatch(s)) and (m[1] or m[2]):
        back = dt.timedelta(hours=int(m[1] or 0), minutes=int(m[2] or 0)) if len(s) < 12 else None
        if back is None or back > MAX_BACK:
            raise WhenError(f'"{text.strip()}" is too far back — give the date and time, e.g. 2026-11-20 10:40')
        return now - back
    day: dt.date = now.date()
    rest = s
    if (m := re.fullmatch(r"(yesterday|today)\s+(.+)", s)) is not None:
        day = day - dt.timedelta(days=1) if m[1] == "yesterday" else day
        rest = m[2]
    elif (m := re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})(?:t|\s+)(.+)", s)) is not None:
        try:
            day = dt.date(*map(int, m[1].split("-")))
        except ValueError:
            raise WhenError(f'"{text.strip()}" has no such date — {TIME_HINT}') from None
        rest = m[2]
        if (found := _time_on(day, rest, clock)) is None:
            try:
                parsed = pendulum.parse(text.strip(), tz=clock.tz)
            except Exception:
                raise _time_error(text, clock) from None
            if isinstance(parsed, pendulum.DateTime):
                return parsed.in_timezone(clock.tz)
            raise _time_error(text, clock)
        return found
    found = _time_on(day, rest, clock)
    if found is None:
        raise _time_error(text, clock)
    return found


def _days_on(clock: Clock, day: dt.date, n: int, *, weeks: bool = False) -> pendulum.Date:
    """``n`` days from ``day``: school days by the clock's calendar (calendar days without one);
    weeks are calendar weeks, landing on the nearest school day on the way."""
    calendar = clock.calendar
    if weeks:
        moved = day + dt.timedelta(days=7 * n)
        found = calendar.nearest(moved, 1 if n >= 0 else -1) if calendar is not None else moved
    else:
        found = calendar.shift(day, n) if calendar is not None else day + dt.timedelta(days=n)
    return pendulum.date(found.year, found.month, found.day)


def parse_date(text: str, clock: Clock) -> pendulum.Date:
    """A school date from a quick form.

    "" or "today"; "tomorrow", "yesterday" (the next or last school day); "+3d", "-2d" (school days
    on or back), "+1w" (a week on, the nearest school day after); a weekday "mon".."sun" (the next
    one after today); "2026-11-30"; "11/30" (this year) or "11/30/2026" — "30/11" for a school
    that writes dates day-first (the profile's ``[terms] date_order``). A date named outright may
    have no school (`Clock.day_off` says so). Raises `WhenError`.
    """
    from .wording import words_of

    words = words_of(clock.profile)
    hint = DATE_HINT.replace("11/30", words.date_example())
    s = " ".join(text.strip().lower().split())
    today = clock.today()
    if s in ("", "today"):
        return today
    if s in ("tomorrow", "tmrw"):
        return _days_on(clock, today, 1)
    if s == "yesterday":
        return _days_on(clock, today, -1)
    if m := re.fullmatch(r"([+-])\s*(\d+)\s*(d|days?|w|wks?|weeks?)", s):
        weeks = m[3].startswith("w")
        count = int(m[2][:7])
        if count * (7 if weeks else 1) > MAX_DAYS_AWAY or (not weeks and clock.calendar is not None and count > MAX_SCHOOL_DAYS_AWAY):
            raise WhenError(f'"{text.strip()}" is more than a year away — {hint}')
        return _days_on(clock, today, count if m[1] == "+" else -count, weeks=weeks)
    if len(s) >= 3 and (hits := [i for i, d in enumerate(_WEEKDAYS) if d.startswith(s)]):
        ahead = (hits[0] - today.weekday() - 1) % 7 + 1
        return today.add(days=ahead)
    try:
        if m := _ISO_DAY.fullmatch(s):
            return pendulum.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?", s):
            year = int(m[3]) if m[3] else today.year
            year += 2000 if year < 100 else 0
            return pendulum.date(year, *words.read_date(int(m[1]), int(m[2])))
    except ValueError:
        raise WhenError(f'"{text.strip()}" has no such date — {hint}') from None
    raise WhenError(f'"{text.strip()}" is not a date — {hint}')
