"""The school profile: who the school is, its clock, doors, patrol and vocabularies.

A profile is a TOML file validated by pydantic models that forbid unknown keys. Every problem
with a profile file surfaces as one `ProfileError` whose message is a single human line naming
the file, the key path and what is wrong, for example::

    profile.toml: bell_schedule[2].end: must be after start (09:50)

This module never imports Textual.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
import uuid as uuid_module
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import pendulum
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .models.errors import CONTROL_MESSAGE
from .models.text import has_controls

__all__ = [  # noqa: RUF022 - grouped: errors, models, functions
    "ProfileError", "SchoolProfile", "School", "Period", "ShiftCheck", "Patrol", "Zone",
    "Behavior", "RosterSettings", "ProcessSettings", "ProcessKindSetting", "ROSTER_FIELDS", "Terms", "GRADE_SCALES", "SchoolCalendar", "DayOff", "WEEKDAYS", "DEMO_PROFILE_PATH",
    "DEMO_PROFILE_UK_PATH", "demo_profile", "demo_profile_named", "load_profile", "parse_profile", "slugify", "explain",
]  # fmt: skip

DEMO_PROFILE_PATH = resources.files("advocate_tui") / "data" / "demo_profile.toml"
"""The packaged demo profile (a Traversable; use `demo_profile()` to load it)."""
DEMO_PROFILE_UK_PATH = resources.files("advocate_tui") / "data" / "demo_profile_uk.toml"
"""The packaged UK demo profile (`demo_profile(uk=True)`): pupils, Year 7-13, day-first dates."""


class ProfileError(Exception):
    """A profile file that cannot be used; str() is one line: file, key path, problem."""


class _ItemError(ValueError):
    """A validator's complaint about one item inside a list, so the key path can name it."""

    def __init__(self, message: str, *where: int | str) -> None:
        super().__init__(message)
        self.where = where


_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


def _to_time(value: Any) -> Any:
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("must be a local time without an offset")
        return value
    if isinstance(value, str) and (m := _HHMM.fullmatch(value.strip())):
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f'must be a time like "08:05", not {value!r}')


def _to_name(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        if has_controls(value):  # names show on every screen: never a terminal code
            raise ValueError(CONTROL_MESSAGE)
    return value


Time = Annotated[dt.time, BeforeValidator(_to_time)]
Name = Annotated[str, AfterValidator(_to_name)]


def _listed(what: str, *, required: bool = True) -> AfterValidator:
    """Checks a list of names or named items: not empty (if required), no duplicate names."""

    def check(items: list[Any]) -> list[Any]:
        if required and not items:
            raise ValueError(f"must list at least one {what}")
        seen: set[str] = set()
        for index, item in enumerate(items):
            name = getattr(item, "name", item)
            if name.casefold() in seen:
                where = (index, "name") if hasattr(item, "name") else (index,)
                raise _ItemError(f"duplicate {what} {name!r}", *where)
            seen.add(name.casefold())
        return items

    return AfterValidator(check)


def slugify(name: str) -> str:
    """A file-name-safe slug: lowercase a-z, 0-9 and single dashes ("school" if nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "school"



class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class School(_Model):
    """The school's name, file-name slug, IANA timezone, and what tells its database apart.

    ``uuid`` is written by the first-start walkthrough: the database keeps it (with the short name)
    and refuses a profile of another school. ``demo`` marks the built-in fictional demo school.
    """

    name: Name
    short_name: str | None = None
    timezone: str
    uuid: str | None = None
    demo: bool = False

    @field_validator("uuid")
    @classmethod
    def _uuid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return str(uuid_module.UUID(value.strip()))
        except ValueError:
            raise ValueError(f"must be a UUID like \"{uuid_module.UUID(int=0)}\" (or left out)") from None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            pendulum.timezone(value)
        except Exception:
            raise ValueError(f"unknown timezone {value!r}") from None
        return value

    @field_validator("short_name")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise ValueError(f"must be lowercase a-z, 0-9 and dashes, like {slugify(value)!r}")
        return value

    @model_validator(mode="after")
    def _default_short_name(self) -> School:
        if self.short_name is None:
            object.__setattr__(self, "short_name", slugify(self.name))
        return self


class Period(_Model):
    """One bell period: a name such as "P3" and its start and end times."""

    name: Name
    start: Time
    end: Time

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: dt.time, info: Any) -> dt.time:
        start = info.data.get("start")
        if start is not None and value <= start:
            raise ValueError(f"must be after start ({start:%H:%M})")
        return value

    def contains(self, t: dt.time) -> bool:
        """True if `t` is in this period (start included, end excluded)."""
        return self.start <= t.replace(tzinfo=None) < self.end


class ShiftCheck(_Model):
    """A named point of the shift (opening, midday, closing) when doors are checked."""

    name: Name
    at: Time


class Zone(_Model):
    """A patrol zone and the checkpoints walked in it, in order."""

    name: Name
    checkpoints: Annotated[list[Name], _listed("checkpoint")]


class Patrol(_Model):
    """The campus patrol: how often a round is due and the zones it covers."""

    interval_minutes: int = Field(default=60, ge=10, le=240)
    zones: Annotated[list[Zone], _listed("zone")]


def _behavior_shorthand(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Behavior(_Model):
    """An incident category (PBIS SWIS problem behavior) and its level."""

    name: Name
    level: Literal["minor", "major"] = "minor"


#: The fields a roster column map names (``[roster.map]`` here, ``--map`` on ``advocate roster import``).
ROSTER_FIELDS = ("student_id", "given_name", "family_name", "grade", "homeroom", "preferred_name")


class RosterSettings(_Model):
    """How the school's roster files are read.

    ``map`` names the column of each field in the school's own student-list export (field = "Column");
    ``advocate roster import FILE --map ...`` writes it, and a later file with those columns needs no ``--map``.
    """

    map: dict[str, Name] = Field(default_factory=dict)

    @field_validator("map")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if key not in ROSTER_FIELDS:
                raise ValueError(f"unknown field {key!r} (the fields: {', '.join(ROSTER_FIELDS)})")
        return value


#: the grade scales a profile can name: the grades (as a roster import stores them) each allows
GRADE_SCALES: dict[str, tuple[str, ...]] = {
    "9-12": ("09", "10", "11", "12"),
    "K-12": ("PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 13))),
    "7-13": tuple(f"{n:02d}" for n in range(7, 14)),
}


class Terms(_Model):
    """The school's own words and dates: what the screens call a student and a grade, the order a
    short date is written in and the grades the school has (see :mod:`advocate_tui.wording`).

    A UK school: ``student = "pupil"``, ``students = "pupils"``, ``grade = "Year"``,
    ``date_order = "day-first"``, ``grade_scale = "7-13"``. Without ``grade_scale`` a roster may hold
    any grade (the US default: shown as "gr 09").
    """

    student: Name = "student"
    students: Name = "students"
    grade: Name = "grade"
    #: the word before a grade beside a name ("gr 09", "Year 9"); the grade word when left out, "gr" for "grade"
    grade_short: Name | None = None
    date_order: Literal["month-first", "day-first"] = "month-first"
    #: the grades the school has (a roster row with another is rejected); any grade when left out
    grade_scale: Literal["9-12", "K-12", "7-13"] | None = None

    @field_validator("student", "students", "grade", "grade_short")
    @classmethod
    def _short_word(cls, value: str | None) -> str | None:
        if value is not None and len(value) > 20:
            raise ValueError("must be a word or two (at most 20 characters)")
        return value


# --- restorative processes (issue 12) ------------------------------------------------------------

_DEFAULT_PROCESS_KINDS = (
    ("restorative_conversation", "Restorative conversation", 1), ("class_circle", "Community/class circle", 1),
    ("harm_circle", "Harm circle", 2), ("conference", "Conference", 2), ("peer_mediation", "Peer mediation", 2),
    ("adult_mediation", "Adult mediation", 2), ("reentry", "Re-entry meeting or circle", 3),
    ("circle_of_support", "Circle of support", 3),
)


class ProcessKindSetting(_Model):
    """A kind of restorative process, its tier (1 relate, 2 repair, 3 restore) and the check-ins it starts
    with (days after the first meeting)."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]
    name: Name
    tier: int = Field(ge=1, le=3)
    check_in_days: list[Annotated[int, Field(ge=1, le=365)]] = Field(default_factory=list, max_length=10)


class ProcessSettings(_Model):
    """The kinds of restorative process the school runs (default: the eight of Tiers 1-3); a re-entry's
    check-ins default to 2 and 4 weeks after its meeting."""

    kinds: Annotated[list[ProcessKindSetting], _listed("process kind")] = Field(default_factory=lambda: [
        ProcessKindSetting(key=k, name=n, tier=t, check_in_days=[14, 28] if k == "reentry" else [])
        for k, n, t in _DEFAULT_PROCESS_KINDS])

    def kind(self, key: str) -> ProcessKindSetting | None:
        """The kind with this key (or, failing that, this name), or None."""
        folded = key.strip().casefold()
        return next((k for k in self.kinds if k.key == folded or k.name.casefold() == folded), None)


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


Day = Annotated[dt.date, BeforeValidator(_to_date)]
Weekday = Annotated[str, BeforeValidator(_to_weekday)]


def _years_later(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later (28 February for a 29 February that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class DayOff(_Model):
    """A holiday or break: its name and first day, and its last day when it is longer than one."""

    name: Name
    start: Day
    end: Day | None = None

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, value: dt.date | None, info: Any) -> dt.date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value < start:
            raise ValueError(f"must be on or after start ({start.isoformat()})")
        return value

    @property
    def last(self) -> dt.date:
        """The last day off (``start`` for a single day)."""
        return self.end or self.start

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.last


class SchoolCalendar(_Model):
    """Which days are school days: the school year, the weekdays taught, holidays and breaks.

    Without ``year_start``/``year_end`` every taught weekday is a school day. Next to the profile's
    year the calendar also knows the gap before and after it ("between school years"); further
    away (an older year's records) taught weekdays count.
    """

    year_start: Day | None = None
    year_end: Day | None = None
    school_days: Annotated[list[Weekday], _listed("school day")] = Field(
        default_factory=lambda: list(WEEKDAYS[:5]))
    holidays: list[DayOff] = []

    @model_validator(mode="after")
    def _year(self) -> SchoolCalendar:
        start, end = self.year_start, self.year_end
        if (start is None) != (end is None):
            raise _ItemError("give both year_start and year_end (the first and last day of school)",
                             "year_end" if end is None else "year_start")
        if start is not None and end is not None:
            if end <= start:
                raise _ItemError(f"must be after year_start ({start.isoformat()})", "year_end")
            if (end - start).days > 400:
                raise _ItemError("a school year is at most 13 months: check the year", "year_end")
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


# --- the rest of the day: hall sweeps, the Peace Room, CICO (issue 14) --------------------------

_DEFAULT_SWEEP_PLACES = ("Hallway", "Restroom", "Stairwell", "Cafeteria", "Library", "Locker area", "Outside",
                         "Parking lot")
_DEFAULT_SENT_TO = ("Back to class", "Office", "Nurse", "Peace Room", "Counselor")
_DEFAULT_PEACE_REASONS = ("Cool down", "Conflict with a peer", "Conflict with an adult", "Upset or anxious",
                          "Sent from a sweep", "Re-entry", "Other")
_DEFAULT_EXPECTATIONS = ("Be safe", "Be respectful", "Be responsible")


class SweepSettings(_Model):
    """Hall sweeps: where students are met out of class and where they can be sent (the first is "back
    to class"; one named like the Peace Room opens a visit)."""

    places: Annotated[list[Name], _listed("sweep place")] = Field(default_factory=lambda: list(_DEFAULT_SWEEP_PLACES))
    sent_to: Annotated[list[Name], _listed("place to send a student")] = Field(
        default_factory=lambda: list(_DEFAULT_SENT_TO))


class PeaceRoomSettings(_Model):
    """The Peace Room: why students come."""

    reasons: Annotated[list[Name], _listed("Peace Room reason")] = Field(
        default_factory=lambda: list(_DEFAULT_PEACE_REASONS))


class CicoSettings(_Model):
    """Check-In/Check-Out: the school's 3-5 expectations, scored 0-2 each period, and the daily goal."""

    expectations: Annotated[list[Name], _listed("expectation")] = Field(
        default_factory=lambda: list(_DEFAULT_EXPECTATIONS), min_length=3, max_length=5)
    goal_percent: int = Field(default=80, ge=10, le=100)


_DEFAULT_SHIFT_CHECKS = (("opening", "07:30"), ("midday", "12:00"), ("closing", "15:30"))


class SchoolProfile(_Model):
    """A whole school profile, as loaded from TOML."""

    school: School
    bell_schedule: Annotated[list[Period], _listed("period")]
    shift_checks: Annotated[list[ShiftCheck], _listed("shift check", required=False)] = Field(
        default_factory=lambda: [ShiftCheck(name=n, at=a) for n, a in _DEFAULT_SHIFT_CHECKS]
    )
    doors: Annotated[list[Name], _listed("door")]
    patrol: Patrol
    locations: Annotated[list[Name], _listed("location")]
    behaviors: Annotated[
        list[Annotated[Behavior, BeforeValidator(_behavior_shorthand)]], _listed("behavior")
    ]
    referral_destinations: Annotated[list[Name], _listed("destination")]
    idle_lock_minutes: int = Field(default=3, ge=1, le=60)
    handoff_folder: str | None = None
    staff: Annotated[list[Name], _listed("staff name", required=False)] = []
    sweeps: SweepSettings = Field(default_factory=SweepSettings)
    peace_room: PeaceRoomSettings = Field(default_factory=PeaceRoomSettings)
    cico: CicoSettings = Field(default_factory=CicoSettings)
    roster: RosterSettings = Field(default_factory=RosterSettings)
    calendar: SchoolCalendar = Field(default_factory=SchoolCalendar)
    terms: Terms = Field(default_factory=Terms)
    #: the desk's own keys: action id → key ("new_incident = \"n\""), checked against the actions at start
    keys: dict[str, Name] = Field(default_factory=dict)
    processes: ProcessSettings = Field(default_factory=ProcessSettings)

    @field_validator("bell_schedule")
    @classmethod
    def _schedule(cls, periods: list[Period]) -> list[Period]:
        """Sorted by start; no two periods overlap."""
        order = sorted(range(len(periods)), key=lambda i: periods[i].start)
        for before, after in zip(order, order[1:]):
            a, b = periods[before], periods[after]
            if b.start < a.end:
                raise _ItemError(
                    f"{b.name} ({b.start:%H:%M}–{b.end:%H:%M}) overlaps "
                    f"{a.name} ({a.start:%H:%M}–{a.end:%H:%M})",
                    after,
                )
        return [periods[i] for i in order]

    @field_validator("shift_checks")
    @classmethod
    def _checks(cls, checks: list[ShiftCheck]) -> list[ShiftCheck]:
        return sorted(checks, key=lambda c: c.at)

    @property
    def tz(self) -> pendulum.Timezone:
        """The school's timezone."""
        return pendulum.timezone(self.school.timezone)

    def period_at(self, t: dt.time) -> Period | None:
        """The bell period running at wall-clock time `t`, or None (before, after, passing)."""
        return next((p for p in self.bell_schedule if p.contains(t)), None)

    def period_named(self, name: str) -> Period | None:
        """The period called `name` (case-insensitive), or None."""
        key = name.strip().casefold()
        return next((p for p in self.bell_schedule if p.name.casefold() == key), None)

    def zone_named(self, name: str) -> Zone | None:
        """The patrol zone called `name` (case-insensitive), or None."""
        key = name.strip().casefold()
        return next((z for z in self.patrol.zones if z.name.casefold() == key), None)

    def behavior_named(self, name: str) -> Behavior | None:
        """The behavior called `name` (case-insensitive), or None."""
        key = name.strip().casefold()
        return next((b for b in self.behaviors if b.name.casefold() == key), None)


# --- loading -----------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "missing (required)",
    "extra_forbidden": "unknown key",
    "int": "must be a whole number",
    "string_type": "must be text in quotes",
    "list_type": 'must be a list, like ["a", "b"]',
    "model_type": "must be a table",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be {expected}",
}


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _located(error: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    """(key path, message) for one pydantic error; the path names the list item a check points at."""
    loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
    kind, ctx = error["type"], error.get("ctx", {})
    kind = "int" if kind.startswith("int_") else kind
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, _ItemError):
            loc += cause.where
        return loc, str(cause if cause else error["msg"])
    if kind in _MESSAGES:
        message = _MESSAGES[kind].format(**ctx)
    else:
        message = error["msg"][:1].lower() + error["msg"][1:]
    if kind not in ("missing", "extra_forbidden") and "input" in error:
        shown = repr(error["input"])
        message += f", not {shown if len(shown) <= 40 else shown[:37] + '...'}"
    return loc, message


def _describe(error: dict[str, Any]) -> str:
    """`key.path: message` for one pydantic error."""
    loc, message = _located(error)
    return f"{_key_path(loc)}: {message}"


def explain(exc: ValidationError) -> list[tuple[tuple[int | str, ...], str]]:
    """Every problem of a profile's validation as (key path, message), unknown keys first."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    return [_located(e) for e in errors]


def _from_validation(name: str, exc: ValidationError) -> ProfileError:
    # An unknown key usually explains a "missing" one (a typo), so name it first.
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    more = len(errors) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return ProfileError(f"{name}: {_describe(errors[0])}{tail}")


def parse_profile(text: str, name: str = "profile.toml") -> SchoolProfile:
    """Validate profile TOML `text`; `name` is the file name used in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        if m := re.search(r"\s*\(at line (\d+), column \d+\)$", detail):
            detail = detail[: m.start()]
            where = f"line {m[1]}: "
        else:
            where = ""
        message = f"{name}: {where}invalid TOML ({detail[:1].lower()}{detail[1:]})"
        raise ProfileError(message) from None
    try:
        return SchoolProfile.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(name, exc) from None


def load_profile(path: str | Path) -> SchoolProfile:
    """Load and validate the profile at `path`; any problem raises one-line `ProfileError`."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"{name}: file not found") from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ProfileError(f"{name}: cannot be read ({reason})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(f"{name}: not a UTF-8 text file (is it a TOML profile?)") from None
    if "\x00" in text:
        raise ProfileError(f"{name}: not a text file (is it a TOML profile?)")
    return parse_profile(text, name)


def demo_profile(uk: bool = False) -> SchoolProfile:
    """The built-in fictional demo school (Cedar Hollow High School; with ``uk``, Ashgrove Academy, a UK
    secondary school)."""
    path = DEMO_PROFILE_UK_PATH if uk else DEMO_PROFILE_PATH
    return parse_profile(path.read_text(encoding="utf-8"), path.name)


def demo_profile_named(short_name: str | None) -> SchoolProfile:
    """The demo school whose short name this is (a demo database keeps it); the US one otherwise."""
    uk = demo_profile(uk=True)
    return uk if short_name == uk.school.short_name else demo_profile()
