"""The first-start walkthrough's answers: defaults, reading what was typed, and the school profile.

Each answer is text, as typed: one line for a name, a time zone or a date, and one item a line for
the holidays (``2026-11-26 to 2026-11-27 Thanksgiving break``), the bell schedule
(``P1 08:00-08:50``), the doors, the patrol zones (``North wing: Science hall, Library doors``) and
the staff. :func:`build` reads them all and validates the whole profile; every problem comes back
under the answer it is about, as one short line ("line 3: P3 (09:50–10:40) overlaps P2 …"). The
incident categories, locations and referral destinations are the standard lists (the demo
school's), to edit in ``profile.toml`` later. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pendulum
from pydantic import ValidationError

from ..profile import SchoolProfile, demo_profile, slugify
from ..profile_calendar import WEEKDAYS
from ..profile_errors import explain
from ..wording import Words

__all__ = ["STEPS", "Step", "Answers", "build", "defaults", "summary", "local_timezone"]


@dataclass(frozen=True)
class Step:
    """One page of the walkthrough: a title, a line saying what to type, and its answers' keys."""

    title: str
    help: str
    fields: tuple[str, ...]


STEPS = (
    Step("The school", "Its name as it appears on reports, a short name for files, its time zone, and a US or "
         "UK school's words and dates (student, grade 9, 11/23 — or pupil, Year 9, 23/11).",
         ("name", "short_name", "timezone", "words")),
    Step("The school year", "First and last day of school, the weekdays taught, and the days off: one a line, "
         "a date or 'date to date', then a name.", ("year_start", "year_end", "school_days", "holidays")),
    Step("Bell schedule", "One period a line: its name, then start-end in 24-hour time (P1 08:00-08:50).",
         ("bells",)),
    Step("Exterior doors", "The doors checked each shift, one a line, in the order they are walked.", ("doors",)),
    Step("Campus patrol", "How often a round is due, and each zone on a line: its name, a colon, then its "
         "checkpoints in walking order.", ("interval", "zones")),
    Step("Staff", "Names suggested in the staff and facilitator fields, one a line (you may leave this empty).",
         ("staff",)),
)

#: answers' keys → what the profile calls them (for problems found by the profile's own checks)
_PROFILE_KEYS = {
    ("school", "name"): "name", ("school", "short_name"): "short_name", ("school", "timezone"): "timezone",
    ("calendar", "year_start"): "year_start", ("calendar", "year_end"): "year_end",
    ("calendar", "school_days"): "school_days", ("calendar", "holidays"): "holidays",
    ("bell_schedule",): "bells", ("doors",): "doors", ("patrol", "interval_minutes"): "interval",
    ("patrol", "zones"): "zones", ("staff",): "staff", ("terms",): "words",
}

#: the time zones of the UK: the walkthrough offers a UK school's words and dates there
UK_ZONES = ("Europe/London", "Europe/Belfast", "Europe/Jersey", "Europe/Guernsey", "Europe/Isle_of_Man")
#: what the "words" answer may be → a UK school's (True) or a US school's
_WORDS = {"us": False, "usa": False, "uk": True, "gb": True}

Answers = dict[str, str]

_DATE = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{2}(?:\d{2})?)?"
_HOLIDAY = re.compile(rf"({_DATE})(?:\s*(?:to|–|—|-|\.\.)\s*({_DATE}))?\s+(.+)", re.IGNORECASE)
_TIME = r"\d{1,2}[:.]\d{2}"
_BELL = re.compile(rf"(.+?)\s+({_TIME})\s*(?:to|–|—|-)\s*({_TIME})", re.IGNORECASE)


def local_timezone() -> str:
    """The machine's IANA time zone name, or "" when it has none worth offering."""
    try:
        name = pendulum.local_timezone().name
    except Exception:  # noqa: BLE001 - a machine with no zone set: no default
        return ""
    return name if name and "/" in name and not name.startswith("Etc/") else ""


def _school_year_guess(today: dt.date) -> tuple[dt.date, dt.date]:
    """A US-style school year around ``today``: the Monday from 15 August to the Friday up to 10 June."""
    first = today.year if today.month >= 7 else today.year - 1
    start = dt.date(first, 8, 15)
    start += dt.timedelta(days=(7 - start.weekday()) % 7)
    end = dt.date(first + 1, 6, 10)
    end -= dt.timedelta(days=(end.weekday() - 4) % 7)
    return start, end


def defaults(today: dt.date, timezone: str = "") -> Answers:
    """What the walkthrough offers before anything is typed (enter accepts each)."""
    start, end = _school_year_guess(today)
    demo = demo_profile()
    return {
        "name": "", "short_name": "", "timezone": timezone, "words": "UK" if timezone in UK_ZONES else "US",
        "year_start": start.isoformat(), "year_end": end.isoformat(), "school_days": "mon tue wed thu fri",
        "holidays": "",
        "bells": "\n".join(f"{p.name} {p.start:%H:%M}-{p.end:%H:%M}" for p in demo.bell_schedule),
        "doors": "Main entrance",
        "interval": str(demo.patrol.interval_minutes),
        "zones": "Main building: Front hall, Cafeteria, Gym lobby",
        "staff": "",
    }


@dataclass
class _Reading:
    """What was read so far: profile data, problems per answer, and each list item's line number."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)


def _items(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the lines that are not blank."""
    return [(n, " ".join(line.split())) for n, line in enumerate((text or "").splitlines(), 1) if line.strip()]


def _date(text: str, year_of_month=None) -> dt.date:
    text = text.strip()
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?", text):
        month, day = int(m[1]), int(m[2])
        if m[3]:
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        elif year_of_month is not None:
            year = year_of_month(month)
        else:
            raise ValueError("give the year too, like 11/26/2026")
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else
                                 "-".join(f"{int(p):02d}" for p in text.split("-")))


def _read_dates(answers: Answers, r: _Reading) -> None:
    found: dict[str, dt.date] = {}
    for key in ("year_start", "year_end"):
        text = answers.get(key, "").strip()
        if not text:
            r.fail(key, "is required — a date like 2026-08-17")
            continue
        try:
            found[key] = _date(text)
        except ValueError:
            r.fail(key, f'"{text}" is not a date — try 2026-08-17 or 8/17/2026')
    r.data["calendar"] = {k: v for k, v in found.items()}
    days = [w for w in re.split(r"[\s,;]+", answers.get("school_days", "").strip()) if w]
    r.data["calendar"]["school_days"] = days
    if not days:
        r.fail("school_days", "is required — the weekdays with school, like mon tue wed thu fri")
    start = found.get("year_start")

    def year_of_month(month: int) -> int:
        if start is None:
            raise ValueError("give the year too, like 11/26/2026")
        return start.year if month >= start.month else start.year + 1

    holidays, lines = [], []
    for n, line in _items(answers.get("holidays", "")):
        m = _HOLIDAY.fullmatch(line)
        if m is None:
            r.fail("holidays", f'line {n}: "{line}" — start with a date: 2026-11-26 to 2026-11-27 Thanksgiving break')
            continue
        try:
            first = _date(m[1], year_of_month)
            last = _date(m[2], year_of_month) if m[2] else None
        except ValueError as exc:
            reason = str(exc) if "year" in str(exc) else "no such date"
            r.fail("holidays", f'line {n}: "{line}" — {reason}')
            continue
        holidays.append({"name": m[3], "start": first, **({"end": last} if last else {})})
        lines.append(n)
    r.data["calendar"]["holidays"] = holidays
    r.lines["holidays"] = lines


def _read_bells(answers: Answers, r: _Reading) -> None:
    bells, lines = [], []
    for n, line in _items(answers.get("bells", "")):
        m = _BELL.fullmatch(line)
        if m is None:
            r.fail("bells", f'line {n}: "{line}" — a name, then start-end: P1 08:00-08:50')
            continue
        bells.append({"name": m[1], "start": m[2].replace(".", ":"), "end": m[3].replace(".", ":")})
        lines.append(n)
    if not bells and "bells" not in r.errors:
        r.fail("bells", "is required — at least one period, like P1 08:00-08:50")
    r.data["bell_schedule"], r.lines["bells"] = bells, lines


def _read_list(answers: Answers, key: str, r: _Reading) -> list[str]:
    items = _items(answers.get(key, ""))
    r.lines[key] = [n for n, _ in items]
    return [text for _, text in items]


def _read_patrol(answers: Answers, r: _Reading) -> None:
    text = answers.get("interval", "").strip()
    patrol: dict[str, Any] = {}
    if not text.isdigit():
        r.fail("interval", f'"{text}" is not a number of minutes — like 60' if text else "is required — like 60")
    else:
        patrol["interval_minutes"] = int(text)
    zones, lines = [], []
    for n, line in _items(answers.get("zones", "")):
        name, colon, rest = line.partition(":")
        checkpoints = [c.strip() for c in rest.split(",") if c.strip()]
        if not colon or not name.strip() or not checkpoints:
            r.fail("zones", f'line {n}: "{line}" — the zone, a colon, then its checkpoints: '
                            "Grounds: Bus loop, Parking lot")
            continue
        zones.append({"name": name.strip(), "checkpoints": checkpoints})
        lines.append(n)
    if not zones and "zones" not in r.errors:
        r.fail("zones", "is required — at least one zone, like Main building: Front hall, Gym lobby")
    patrol["zones"] = zones
    r.data["patrol"], r.lines["zones"] = patrol, lines


def _where(r: _Reading, loc: tuple[int | str, ...]) -> tuple[str | None, str]:
    """The answer a profile problem is about, and "line N: " when it names a list item."""
    for size in (2, 1):
        key = _PROFILE_KEYS.get(tuple(loc[:size]))
        if key is not None:
            rest = loc[size:]
            if rest and isinstance(rest[0], int) and key != "school_days":
                lines = r.lines.get(key, [])
                line = lines[rest[0]] if rest[0] < len(lines) else rest[0] + 1
                detail = ".".join(str(p) for p in rest[1:])
                return key, f"line {line}: " + (f"{detail} " if detail else "")
            return key, ""
    return None, ""


def build(answers: Answers, uuid: str) -> tuple[SchoolProfile | None, dict[str, str]]:
    """The school profile from the walkthrough's answers, or None and the problems by answer key
    ("" for one that belongs to no answer)."""
    r = _Reading()
    name = " ".join(answers.get("name", "").split())
    if not name:
        r.fail("name", "is required — the school's name, like Lincoln High School")
    short = answers.get("short_name", "").strip() or (slugify(name) if name else "")
    timezone = answers.get("timezone", "").strip()
    if not timezone:
        r.fail("timezone", "is required — like America/Chicago (→ completes a name)")
    r.data["school"] = {"name": name or "-", "short_name": short or None, "timezone": timezone or "UTC", "uuid": uuid}
    uk = _WORDS.get(answers.get("words", "US").strip().casefold().replace(".", ""))
    if uk is None:
        r.fail("words", "is US (student, grade 9, 11/23) or UK (pupil, Year 9, 23/11)")
    r.data["terms"] = demo_profile(uk=bool(uk)).terms.model_dump(exclude_none=True)
    _read_dates(answers, r)
    _read_bells(answers, r)
    r.data["doors"] = _read_list(answers, "doors", r)
    if not r.data["doors"]:
        r.fail("doors", "is required — at least one door, like Main entrance")
    _read_patrol(answers, r)
    r.data["staff"] = _read_list(answers, "staff", r)
    standard = demo_profile(uk=bool(uk))  # a UK school's lists say corridor, canteen, Head of Year
    r.data["locations"] = list(standard.locations)
    r.data["behaviors"] = [b.model_dump() for b in standard.behaviors]
    r.data["referral_destinations"] = list(standard.referral_destinations)
    try:
        profile = SchoolProfile.model_validate(r.data)
    except ValidationError as exc:
        for loc, message in explain(exc):
            key, line = _where(r, loc)
            if key == "timezone" and "unknown timezone" in message:
                message = f'"{timezone}" is not a time zone — like America/Chicago (→ completes a name)'
            r.fail(key or "", f"{line}{message}")
        return None, r.errors
    if r.errors:
        return None, r.errors
    return profile, {}


def summary(profile: SchoolProfile, today: dt.date) -> list[str]:
    """What the walkthrough will save, in a few lines for the last page."""
    school, cal, words = profile.school, profile.calendar, Words.of(profile)
    days = " ".join(d.capitalize() for d in cal.school_days) if cal.school_days != list(WEEKDAYS[:5]) else "Mon–Fri"
    counted = cal.school_days_between(cal.year_start, cal.year_end) if cal.year_start and cal.year_end else 0
    breaks = len(cal.holidays)
    bells = profile.bell_schedule
    checkpoints = sum(len(z.checkpoints) for z in profile.patrol.zones)
    zones = len(profile.patrol.zones)
    off = cal.day_off(today)
    return [
        f"{school.name} ({school.short_name}) · {school.timezone}",
        f"School year {cal.year_start} to {cal.year_end} · {days} · {breaks} holiday{'s' * (breaks != 1)} or "
        f"break{'s' * (breaks != 1)} · {counted} school days",
        f"Today: {'no school (' + off + ')' if off else 'a school day'}",
        f"Bells: {len(bells)} period{'s' * (len(bells) != 1)}, {bells[0].name} {bells[0].start:%H:%M} "
        f"to {bells[-1].name} {bells[-1].end:%H:%M}",
        f"Doors: {len(profile.doors)} · Patrol: {zones} zone{'s' * (zones != 1)}, {checkpoints} checkpoint"
        f"{'s' * (checkpoints != 1)}, a round every {profile.patrol.interval_minutes} minutes",
        f"Staff: {len(profile.staff) or 'none yet'}",
        f"Words and dates: {words.student}, {words.grade_label('09')}, {words.date_example()} for 30 November",
        "Incident categories, locations and referral destinations: the standard lists.",
    ]
