"""Writing a school profile as TOML, every key with a comment that says what it is.

The first-start walkthrough saves its answers with :func:`profile_to_toml`, and the example in the
repository (``examples/profile-us.toml``) is its output for a fictional school, so the file a school
gets and the documented format are the same. Reading it back with
:func:`~advocate_tui.profile.parse_profile` gives the same profile. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import json

from .profile import SchoolProfile
from .profile_settings import ProcessSettings

__all__ = ["profile_to_toml"]


def _s(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL has to be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _list(items: list[str], indent: str = "    ") -> str:
    if not items:
        return "[]"
    return "[\n" + "".join(f"{indent}{_s(item)},\n" for item in items) + "]"


def _table(pairs: list[tuple[str, str]]) -> str:
    """An inline table from (key, TOML value) pairs."""
    return "{ " + ", ".join(f"{k} = {v}" for k, v in pairs) + " }"


def _rows(rows: list[str]) -> str:
    return "[\n" + "".join(f"    {row},\n" for row in rows) + "]" if rows else "[]"


def _hhmm(t: dt.time) -> str:
    return _s(f"{t:%H:%M}")


def profile_to_toml(profile: SchoolProfile, header: str = "") -> str:
    """The profile as a commented TOML file; ``header`` lines go first as comments."""
    p, school, cal = profile, profile.school, profile.calendar
    out: list[str] = [f"# {line}".rstrip() for line in header.splitlines()]
    if out:
        out.append("")
    out += [
        "# Minutes without a key, click or paste before the desk locks (1-60).",
        f"idle_lock_minutes = {p.idle_lock_minutes}",
        "",
        "# Where 'advocate handoff export' writes the day's bundle (a folder; leave out for the default).",
        f"handoff_folder = {_s(p.handoff_folder)}" if p.handoff_folder else '# handoff_folder = "/srv/handoffs"',
        "",
        "# Bell periods in order: a name (shown as \"P3 · 10:42\") and its start and end, 24-hour \"HH:MM\"",
        "# in the school's time zone. Periods may not overlap.",
        "bell_schedule = " + _rows([_table([("name", _s(b.name)), ("start", _hhmm(b.start)), ("end", _hhmm(b.end))])
                                    for b in p.bell_schedule]),
        "",
        "# When the exterior doors are checked: each shift check starts a shift (a door counts as",
        "# unchecked until it is checked in the current shift).",
        "shift_checks = " + _rows([_table([("name", _s(c.name)), ("at", _hhmm(c.at))]) for c in p.shift_checks]),
        "",
        "# The exterior doors checked each shift, in the order they are walked.",
        f"doors = {_list(list(p.doors))}",
        "",
        "# Staff names: suggested in the staff and facilitator fields (may be empty).",
        f"staff = {_list(list(p.staff))}",
        "",
        "# Where an incident can happen (picked by a few letters in the incident form).",
        f"locations = {_list(list(p.locations))}",
        "",
        "# Incident categories (PBIS SWIS problem behaviours): level \"minor\" (staff-managed) or \"major\"",
        "# (office-managed).",
        "behaviors = " + _rows([_table([("name", _s(b.name)), ("level", _s(b.level))]) for b in p.behaviors]),
        "",
        "# Where a referral can go.",
        f"referral_destinations = {_list(list(p.referral_destinations))}",
        "",
        "[school]",
        "# The school's full name (shown in the header and on reports).",
        f"name = {_s(school.name)}",
        "# A short name: lowercase a-z, 0-9 and dashes. It names files and, with uuid, tells this school's",
        "# database apart: another school's profile is refused. Keep both as they are once in use.",
        f"short_name = {_s(school.short_name or '')}",
        "# The school's IANA time zone: \"today\" and every time shown are the school's own.",
        f"timezone = {_s(school.timezone)}",
    ]
    if school.uuid:
        out += ["# Written at first start; the database keeps it.", f"uuid = {_s(school.uuid)}"]
    else:
        out += ["# uuid = \"...\"  (written at first start; the database keeps it)"]
    if school.demo:
        out += ["# The built-in fictional demo school (only 'advocate demo' opens it).", "demo = true"]
    else:
        out += ["# demo = true marks only the built-in fictional demo school: leave it out."]
    out += [
        "",
        "[calendar]",
        "# The first and last day of school this year (YYYY-MM-DD, no quotes). Days before and after",
        "# it have no school; the data screen's \"school year\" runs from one to the other.",
        f"year_start = {cal.year_start.isoformat()}" if cal.year_start else "# year_start = 2026-08-17",
        f"year_end = {cal.year_end.isoformat()}" if cal.year_end else "# year_end = 2027-06-04",
        "# The weekdays with school: mon tue wed thu fri sat sun.",
        "school_days = [" + ", ".join(_s(d) for d in cal.school_days) + "]",
        "# Holidays and breaks: a name, the first day, and the last day when it is longer than one.",
        "# On these days no door check or patrol is expected, and \"tomorrow\" or \"+3d\" skip them.",
        "holidays = " + _rows([_table([("name", _s(h.name)), ("start", h.start.isoformat())]
                                      + ([("end", h.end.isoformat())] if h.end and h.end != h.start else []))
                               for h in cal.holidays]),
        "",
        "[patrol]",
        "# Minutes from the start of one patrol round to the next being due (10-240).",
        f"interval_minutes = {p.patrol.interval_minutes}",
        "# Patrol zones, each with its checkpoints in walking order; rounds take the zones in turn.",
        "zones = " + _rows([_table([("name", _s(z.name)), ("checkpoints", "[" + ", ".join(_s(c) for c in z.checkpoints)
                                                                              + "]")]) for z in p.patrol.zones]),
        "",
    ]
    terms = p.terms
    out += [
        "[terms]",
        "# The school's own words on every screen, in the handoff and the report: one student and",
        "# several (a UK school: \"pupil\" and \"pupils\"), and a grade (\"Year\").",
        f"student = {_s(terms.student)}",
        f"students = {_s(terms.students)}",
        f"grade = {_s(terms.grade)}",
        "# The word before a grade beside a name (\"gr 09\", \"Year 9\"); the grade word when left out",
        "# (\"gr\" for \"grade\").",
        f"grade_short = {_s(terms.grade_short)}" if terms.grade_short else '# grade_short = "gr"',
        "# How a short date is written: \"month-first\" (11/23, due Tue 12/1) or \"day-first\" (23/11,",
        "# due Tue 1/12; dates with a year as 23/11/2026). Dates typed in forms are read the same way.",
        f"date_order = {_s(terms.date_order)}",
        "# The grades the school has: \"9-12\", \"K-12\" or \"7-13\" (UK Years 7-13, shown as \"Year 9\"); a",
        "# roster row with another grade is rejected. Left out: any grade.",
        f"grade_scale = {_s(terms.grade_scale)}" if terms.grade_scale else '# grade_scale = "9-12"',
        "",
    ]
    if p.keys:
        out += ["[keys]",
                "# The desk's own keys: an action and its key (new_incident = \"n\"); the rest keep theirs.",
                *(f"{action} = {_s(key)}" for action, key in p.keys.items()), ""]
    else:
        out += ["# [keys]: the desk's own keys, an action and its key, for example new_incident = \"n\" or",
                "# find_student = \"f\"; the actions are named in the README, and a name that is no action is",
                "# said at start with the list. Two actions on one key: both keep their own, and the desk says so.",
                ""]
    if p.processes != ProcessSettings():
        out += ["[processes]",
                "# The kinds of restorative process: a key, a name, the tier (1 relate, 2 repair, 3 restore) and",
                "# the follow-up check-ins, in days after the meeting.",
                "kinds = " + _rows([_table([("key", _s(k.key)), ("name", _s(k.name)), ("tier", str(k.tier)),
                                            ("check_in_days", "[" + ", ".join(map(str, k.check_in_days)) + "]")])
                                    for k in p.processes.kinds]),
                ""]
    else:
        out += ["# [processes]: the kinds of restorative process, when they differ from the eight built in",
                "# (restorative conversation and community/class circle, Tier 1; harm circle, conference, peer and",
                "# adult mediation, Tier 2; re-entry meeting or circle and circle of support, Tier 3), e.g.",
                "# kinds = [{ key = \"reentry\", name = \"Re-entry circle\", tier = 3, check_in_days = [14, 28] }, ...]",
                ""]
    if p.roster.map:
        out += ["[roster.map]",
                "# The columns of this school's student-list export, written by 'advocate roster import --map':",
                "# a roster file with these columns needs no --map (field = \"Column\").",
                *(f"{key} = {_s(column)}" for key, column in p.roster.map.items()), ""]
    else:
        out += ["# [roster.map]: the columns of the school's student-list export (field = \"Column\", the fields",
                "# student_id, given_name, family_name, grade, homeroom, preferred_name), written by",
                "# 'advocate roster import --map'; a roster file with these columns then needs no --map.",
                ""]
    out += _day_sections(p)
    return "\n".join(out)


def _day_sections(p: SchoolProfile) -> list[str]:
    """[sweeps], [peace_room] and [cico] (issue 14): the vocabularies of the rest of the day."""
    return [
        "[sweeps]",
        "# Hall sweeps: where a student can be met out of class, and where they can be sent (the first is",
        "# \"back to class\"; one called \"Peace Room\" opens a Peace Room visit).",
        f"places = {_list(list(p.sweeps.places))}",
        f"sent_to = {_list(list(p.sweeps.sent_to))}",
        "",
        "[peace_room]",
        "# Why a student comes to the Peace Room.",
        f"reasons = {_list(list(p.peace_room.reasons))}",
        "",
        "[cico]",
        "# Check-In/Check-Out: the school's expectations (3 to 5), each scored 0, 1 or 2 every period, and",
        "# the daily goal, per cent of the day's points (a student's plan may set another).",
        f"expectations = {_list(list(p.cico.expectations))}",
        f"goal_percent = {p.cico.goal_percent}",
        "",
    ]
