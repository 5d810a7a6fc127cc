"""The school profile: who the school is, its clock, doors, patrol and vocabularies.

A profile is a TOML file validated by pydantic as the frozen dataclasses here, which forbid unknown keys
(defining them imports no pydantic: see :mod:`advocate_tui.profile_fields`). Every problem
with a profile file surfaces as one `ProfileError` whose message is a single human line naming
the file, the key path and what is wrong, for example::

    profile.toml: bell_schedule[2].end: must be after start (09:50)

This module never imports Textual.
"""

import datetime as dt
import re
import unicodedata
import uuid as uuid_module
from dataclasses import field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import pendulum

from .profile_calendar import SchoolCalendar
from .profile_errors import ProfileError, error_of_validation
from .profile_fields import After, Before, ItemError, Limits, Name, Strict, Time, adapter, listed, strict
from .profile_settings import CicoSettings, PeaceRoomSettings, ProcessSettings, SweepSettings

__all__ = [  # noqa: RUF022 - grouped: errors, models, functions
    "ProfileError", "SchoolProfile", "School", "Period", "ShiftCheck", "Patrol", "Zone",
    "Behavior", "RosterSettings", "ROSTER_FIELDS", "Terms", "GRADE_SCALES", "DEMO_PROFILE_PATH",
    "DEMO_PROFILE_UK_PATH", "demo_profile", "demo_profile_named", "load_profile", "parse_profile", "slugify",
]  # fmt: skip

#: the package's data folder (the package is installed as files: importlib.resources, with zipfile, would
#: cost every start ~7M instructions to say the same)
_DATA = Path(__file__).with_name("data")
DEMO_PROFILE_PATH = _DATA / "demo_profile.toml"
"""The packaged demo profile (use `demo_profile()` to load it)."""
DEMO_PROFILE_UK_PATH = _DATA / "demo_profile_uk.toml"
"""The packaged UK demo profile (`demo_profile(uk=True)`): pupils, Year 7-13, day-first dates."""


def slugify(name: str) -> str:
    """A file-name-safe slug: lowercase a-z, 0-9 and single dashes ("school" if nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "school"


def _uuid(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid_module.UUID(value.strip()))
    except ValueError:
        raise ValueError(f"must be a UUID like \"{uuid_module.UUID(int=0)}\" (or left out)") from None


def _known_timezone(value: str) -> str:
    try:
        pendulum.timezone(value)
    except Exception:
        raise ValueError(f"unknown timezone {value!r}") from None
    return value


def _slug(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise ValueError(f"must be lowercase a-z, 0-9 and dashes, like {slugify(value)!r}")
    return value


@strict
class School(Strict):
    """The school's name, file-name slug, IANA timezone, and what tells its database apart.

    ``uuid`` is written by the first-start walkthrough: the database keeps it (with the short name)
    and refuses a profile of another school. ``demo`` marks the built-in fictional demo school.
    """

    name: Name
    short_name: Annotated[str | None, After(_slug)] = None
    timezone: Annotated[str, After(_known_timezone)]
    uuid: Annotated[str | None, After(_uuid)] = None
    demo: bool = False

    def _validated(self) -> "School":
        return replace(self, short_name=slugify(self.name)) if self.short_name is None else self


def _after_start(value: dt.time, info: Any) -> dt.time:
    start = info.data.get("start")
    if start is not None and value <= start:
        raise ValueError(f"must be after start ({start:%H:%M})")
    return value


@strict
class Period(Strict):
    """One bell period: a name such as "P3" and its start and end times."""

    name: Name
    start: Time
    end: Annotated[Time, After(_after_start, with_info=True)]

    def contains(self, t: dt.time) -> bool:
        """True if `t` is in this period (start included, end excluded)."""
        return self.start <= t.replace(tzinfo=None) < self.end


@strict
class ShiftCheck(Strict):
    """A named point of the shift (opening, midday, closing) when doors are checked."""

    name: Name
    at: Time


@strict
class Zone(Strict):
    """A patrol zone and the checkpoints walked in it, in order."""

    name: Name
    checkpoints: Annotated[list[Name], listed("checkpoint")]


@strict
class Patrol(Strict):
    """The campus patrol: how often a round is due and the zones it covers."""

    interval_minutes: Annotated[int, Limits(ge=10, le=240)] = 60
    zones: Annotated[list[Zone], listed("zone")]


def _behavior_shorthand(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


@strict
class Behavior(Strict):
    """An incident category (PBIS SWIS problem behavior) and its level."""

    name: Name
    level: Literal["minor", "major"] = "minor"


#: The fields a roster column map names (``[roster.map]`` here, ``--map`` on ``advocate roster import``).
ROSTER_FIELDS = ("student_id", "given_name", "family_name", "grade", "homeroom", "preferred_name")


def _known_fields(value: dict[str, str]) -> dict[str, str]:
    for key in value:
        if key not in ROSTER_FIELDS:
            raise ValueError(f"unknown field {key!r} (the fields: {', '.join(ROSTER_FIELDS)})")
    return value


@strict
class RosterSettings(Strict):
    """How the school's roster files are read.

    ``map`` names the column of each field in the school's own student-list export (field = "Column");
    ``advocate roster import FILE --map ...`` writes it, and a later file with those columns needs no ``--map``.
    """

    map: Annotated[dict[str, Name], After(_known_fields)] = field(default_factory=dict)


#: the grade scales a profile can name: the grades (as a roster import stores them) each allows
GRADE_SCALES: dict[str, tuple[str, ...]] = {
    "9-12": ("09", "10", "11", "12"),
    "K-12": ("PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 13))),
    "7-13": tuple(f"{n:02d}" for n in range(7, 14)),
}


def _short_word(value: str | None) -> str | None:
    if value is not None and len(value) > 20:
        raise ValueError("must be a word or two (at most 20 characters)")
    return value


Word = Annotated[Name, After(_short_word)]


@strict
class Terms(Strict):
    """The school's own words and dates: what the screens call a student and a grade, the order a
    short date is written in and the grades the school has (see :mod:`advocate_tui.wording`).

    A UK school: ``student = "pupil"``, ``students = "pupils"``, ``grade = "Year"``,
    ``date_order = "day-first"``, ``grade_scale = "7-13"``. Without ``grade_scale`` a roster may hold
    any grade (the US default: shown as "gr 09").
    """

    student: Word = "student"
    students: Word = "students"
    grade: Word = "grade"
    #: the word before a grade beside a name ("gr 09", "Year 9"); the grade word when left out, "gr" for "grade"
    grade_short: Annotated[Name | None, After(_short_word)] = None
    date_order: Literal["month-first", "day-first"] = "month-first"
    #: the grades the school has (a roster row with another is rejected); any grade when left out
    grade_scale: Literal["9-12", "K-12", "7-13"] | None = None


_DEFAULT_SHIFT_CHECKS = (("opening", dt.time(7, 30)), ("midday", dt.time(12)), ("closing", dt.time(15, 30)))


def _schedule(periods: list[Period]) -> list[Period]:
    """Sorted by start; no two periods overlap."""
    order = sorted(range(len(periods)), key=lambda i: periods[i].start)
    for before, after in zip(order, order[1:]):
        a, b = periods[before], periods[after]
        if b.start < a.end:
            raise ItemError(
                f"{b.name} ({b.start:%H:%M}–{b.end:%H:%M}) overlaps "
                f"{a.name} ({a.start:%H:%M}–{a.end:%H:%M})",
                after,
            )
    return [periods[i] for i in order]


def _checks(checks: list[ShiftCheck]) -> list[ShiftCheck]:
    return sorted(checks, key=lambda c: c.at)


@strict
class SchoolProfile(Strict):
    """A whole school profile, as loaded from TOML."""

    school: School
    bell_schedule: Annotated[list[Period], listed("period"), After(_schedule)]
    shift_checks: Annotated[list[ShiftCheck], listed("shift check", required=False), After(_checks)] = field(
        default_factory=lambda: [ShiftCheck(name=n, at=a) for n, a in _DEFAULT_SHIFT_CHECKS]
    )
    doors: Annotated[list[Name], listed("door")]
    patrol: Patrol
    locations: Annotated[list[Name], listed("location")]
    behaviors: Annotated[
        list[Annotated[Behavior, Before(_behavior_shorthand)]], listed("behavior")
    ]
    referral_destinations: Annotated[list[Name], listed("destination")]
    idle_lock_minutes: Annotated[int, Limits(ge=1, le=60)] = 3
    handoff_folder: str | None = None
    staff: Annotated[list[Name], listed("staff name", required=False)] = field(default_factory=list)
    sweeps: SweepSettings = field(default_factory=SweepSettings)
    peace_room: PeaceRoomSettings = field(default_factory=PeaceRoomSettings)
    cico: CicoSettings = field(default_factory=CicoSettings)
    roster: RosterSettings = field(default_factory=RosterSettings)
    calendar: SchoolCalendar = field(default_factory=SchoolCalendar)
    terms: Terms = field(default_factory=Terms)
    #: the desk's own keys: action id → key ("new_incident = \"n\""), checked against the actions at start
    keys: dict[str, Name] = field(default_factory=dict)
    processes: ProcessSettings = field(default_factory=ProcessSettings)

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


def parse_profile(text: str, name: str = "profile.toml") -> SchoolProfile:
    """Validate profile TOML `text`; `name` is the file name used in error messages."""
    import tomllib

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
    return validate_profile(data, name)


def validate_profile(data: Any, name: str = "profile.toml") -> SchoolProfile:
    """``data`` (a profile as TOML reads it) validated by pydantic; one-line :class:`ProfileError` otherwise."""
    from pydantic import ValidationError

    try:
        return adapter(SchoolProfile).validate_python(data)
    except ValidationError as exc:
        raise error_of_validation(name, exc) from None


#: the largest profile read (a school's, calendar and all, is a few KiB)
MAX_PROFILE_BYTES = 4 * 2**20


def load_profile(path: str | Path) -> SchoolProfile:
    """Load and validate the profile at `path`; any problem raises one-line `ProfileError`."""
    name = str(path)
    try:
        with open(path, "rb") as fh:  # (no further than a profile can be: --profile /dev/zero read until memory ran out)
            raw = fh.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise ProfileError(f"{name}: file not found") from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ProfileError(f"{name}: cannot be read ({reason})") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{name}: larger than a profile can be ({MAX_PROFILE_BYTES // 2**20} MiB; is it a TOML profile?)")
    try:
        text = raw.decode("utf-8-sig")  # (Notepad saves UTF-8 with a byte order mark, which TOML can't read)
    except UnicodeDecodeError:
        raise ProfileError(f"{name}: not a UTF-8 text file (is it a TOML profile?)") from None
    if "\x00" in text:
        raise ProfileError(f"{name}: not a text file (is it a TOML profile?)")
    return _validated_once(raw, text, name)


def _validated_once(raw: bytes, text: str, name: str) -> SchoolProfile:
    """The profile of a file's bytes ``raw`` (``text`` decoded): from the cache of validated profiles when
    these bytes validated before (no pydantic), else validated (and kept there for the next start)."""
    from . import profile_cache

    profile = profile_cache.recall(SchoolProfile, raw)
    if profile is None:
        profile = parse_profile(text, name)
        profile_cache.keep(raw, profile)
    return profile


def demo_profile(uk: bool = False) -> SchoolProfile:
    """The built-in fictional demo school (Cedar Hollow High School; with ``uk``, Ashgrove Academy, a UK
    secondary school)."""
    path = DEMO_PROFILE_UK_PATH if uk else DEMO_PROFILE_PATH
    raw = path.read_bytes()
    return _validated_once(raw, raw.decode("utf-8"), path.name)


def demo_profile_named(short_name: str | None) -> SchoolProfile:
    """The demo school whose short name this is (a demo database keeps it); the US one otherwise."""
    uk = demo_profile(uk=True)
    return uk if short_name == uk.school.short_name else demo_profile()
