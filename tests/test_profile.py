"""The school profile: the demo loads, and every kind of bad file gives one clear ProfileError."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from advocate_tui.profile import (
    DEMO_PROFILE_PATH,
    ProfileError,
    SchoolProfile,
    demo_profile,
    load_profile,
    slugify,
)

DEMO_TEXT = DEMO_PROFILE_PATH.read_text(encoding="utf-8")

MINIMAL = """\
doors = ["Front"]
locations = ["Hallway"]
referral_destinations = ["Counselor"]
behaviors = [{ name = "Defiance" }, { name = "Fighting", level = "major" }]

[school]
name = "Pine Ridge Middle School"
timezone = "America/Denver"

[[bell_schedule]]
name = "P2"
start = "09:00"
end = "09:50"

[[bell_schedule]]
name = "P1"
start = "08:00"
end = "08:50"

[patrol]
[[patrol.zones]]
name = "Main hall"
checkpoints = ["Office", "Gym doors"]
"""


def write(tmp_path: Path, text: str | bytes, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def demo_with(old: str, new: str) -> str:
    """The demo profile text with one exact edit (which must apply)."""
    assert old in DEMO_TEXT, old
    return DEMO_TEXT.replace(old, new, 1)


def error_for(tmp_path: Path, text: str | bytes) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_demo_profile_loads():
    profile = demo_profile()
    assert profile.school.name == "Cedar Hollow High School"
    assert profile.school.short_name == "cedar-hollow-hs"
    assert profile.tz.name == "America/Chicago"
    assert [p.name for p in profile.bell_schedule] == [
        "P1", "P2", "P3", "P4", "Lunch", "P5", "P6", "P7",
    ]  # fmt: skip
    assert profile.bell_schedule[0].start == dt.time(8, 0)
    assert profile.bell_schedule[-1].end == dt.time(15, 10)
    assert 6 <= len(profile.doors) <= 8
    assert len(profile.patrol.zones) == 3
    assert all(4 <= len(z.checkpoints) <= 6 for z in profile.patrol.zones)
    assert profile.patrol.interval_minutes == 60
    assert {"Classroom", "Hallway", "Cafeteria", "Bus loading"} <= set(profile.locations)
    levels = {b.name: b.level for b in profile.behaviors}
    assert levels["Defiance"] == "minor" and levels["Fighting"] == "major"
    assert "RJ coordinator" in profile.referral_destinations
    assert profile.staff and profile.idle_lock_minutes == 3


def test_load_profile_from_a_path_equals_demo(tmp_path):
    path = write(tmp_path, DEMO_TEXT)
    assert load_profile(str(path)) == demo_profile()


def test_minimal_profile_gets_defaults_and_sorted_periods(tmp_path):
    profile = load_profile(write(tmp_path, MINIMAL))
    assert isinstance(profile, SchoolProfile)
    assert profile.school.short_name == "pine-ridge-middle-school"
    assert [p.name for p in profile.bell_schedule] == ["P1", "P2"]
    assert [(c.name, c.at) for c in profile.shift_checks] == [
        ("opening", dt.time(7, 30)), ("midday", dt.time(12, 0)), ("closing", dt.time(15, 30)),
    ]  # fmt: skip
    assert profile.patrol.interval_minutes == 60
    assert profile.idle_lock_minutes == 3
    assert profile.handoff_folder is None and profile.staff == []
    assert profile.behaviors[0].level == "minor"


def test_toml_local_time_literals_are_accepted(tmp_path):
    text = MINIMAL.replace('start = "08:00"', "start = 08:00:00")
    assert load_profile(write(tmp_path, text)).bell_schedule[0].start == dt.time(8, 0)


def test_helpers():
    profile = demo_profile()
    assert profile.period_at(dt.time(10, 0)).name == "P3"
    assert profile.period_at(dt.time(9, 50)).name == "P3"  # start is inside
    assert profile.period_at(dt.time(10, 40)) is None  # end is not: passing time
    assert profile.period_at(dt.time(7, 0)) is None
    assert profile.period_named("lunch").start == dt.time(11, 35)
    assert profile.period_named("P9") is None
    assert profile.zone_named("grounds").checkpoints[0] == "Bus loop"
    assert profile.zone_named("Roof") is None
    assert profile.behavior_named("fighting").level == "major"


def test_slugify():
    assert slugify("Cedar Hollow High School") == "cedar-hollow-high-school"
    assert slugify("  St. Mary's — Académie #2 ") == "st-mary-s-academie-2"
    assert slugify("!!!") == "school"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"America/Chicago"', '"Mars/Base"', "school.timezone: unknown timezone 'Mars/Base'"),
        ('end = "10:40"', 'end = "09:40"', "bell_schedule[2].end: must be after start (09:50)"),
        ('end = "10:40"', 'end = "09:50"', "bell_schedule[2].end: must be after start (09:50)"),
        ('end = "10:40"', 'end = "10:50"', "bell_schedule[3]: P4 (10:45–11:35) overlaps P3"),
        ('"Gym west"', '"gym EAST"', "doors[2]: duplicate door 'gym EAST'"),
        ("doors = [", "doors = [\n]\nold_doors = [", "old_doors: unknown key"),
        ("idle_lock_minutes = 3", "idle_lock_minutes = 3\ncolour = 1", "colour: unknown key"),
        ('timezone = "America/Chicago"', 'timezone = "America/Chicago"\nmotto = "x"',
         "school.motto: unknown key"),
        ("idle_lock_minutes = 3", 'idle_lock_minutes = "three"',
         "idle_lock_minutes: must be a whole number, not 'three'"),
        ("idle_lock_minutes = 3", "idle_lock_minutes = 0", "idle_lock_minutes: must be at least 1"),
        ("interval_minutes = 60", "interval_minutes = 300",
         "patrol.interval_minutes: must be at most 240"),
        ('"Athletic field",', '"Athletic field", 7,',
         "patrol.zones[2].checkpoints[3]: must be text in quotes, not 7"),
        ('name = "Fighting"\nlevel = "major"', 'name = "Fighting"\nlevel = "severe"',
         "behaviors[11].level: must be 'minor' or 'major', not 'severe'"),
        ('start = "08:00"', 'start = "8 am"',
         "bell_schedule[0].start: must be a time like \"08:05\", not '8 am'"),
        ('start = "08:00"', 'start = "24:00"', "bell_schedule[0].start: must be a time like"),
        ('name = "P6"', 'name = "p2"', "bell_schedule[6].name: duplicate period 'p2'"),
        ('name = "Grounds"', 'name = "North Wing"', "patrol.zones[2].name: duplicate zone"),
        ('name = "Grounds"', 'name = "  "', "patrol.zones[2].name: must not be empty"),
        ('name = "closing"', 'name = "opening"', "shift_checks[2].name: duplicate shift check"),
        ('"Dana Whitfield"', '"Tom Reinholt"', "staff[3]: duplicate staff name 'Tom Reinholt'"),
        ('short_name = "cedar-hollow-hs"', 'short_name = "Cedar Hollow"',
         "school.short_name: must be lowercase a-z, 0-9 and dashes, like 'cedar-hollow'"),
        ('[[behaviors]]\nname = "Defiance"', '[[behaviors]]\nnam = "Defiance"',
         "behaviors[0].nam: unknown key (and 1 more problem)"),
        ("idle_lock_minutes = 3", 'idle_lock_minutes = 3\nroster = { map = { first = "Forename" } }',
         "roster.map: unknown field 'first' (the fields: student_id, given_name, family_name, grade, homeroom, "
         "preferred_name)"),
        ("idle_lock_minutes = 3", 'idle_lock_minutes = 3\nroster = { map = { student_id = "  " } }',
         "roster.map.student_id: must not be empty"),
        ("idle_lock_minutes = 3", 'idle_lock_minutes = 3\nroster = { column_map = {} }',
         "roster.column_map: unknown key"),
        ("year_end = 2027-06-04", "year_end = 2026-06-04",
         "calendar.year_end: must be after year_start (2026-08-17)"),
        ("year_end = 2027-06-04\n", "",
         "calendar.year_end: give both year_start and year_end (the first and last day of school)"),
        ("year_end = 2027-06-04", "year_end = 2027-10-30", "calendar.year_end: a school year is at most 13 months"),
        ("year_start = 2026-08-17", 'year_start = "next August"',
         "calendar.year_start: must be a date like 2026-08-17, not 'next August'"),
        ("year_start = 2026-08-17", "year_start = 2026-08-17T08:00:00",
         "calendar.year_start: must be a date like 2026-08-17 without a time"),
        ('"thu", "fri"]', '"thu", "fry"]', "calendar.school_days[4]: must be a weekday like \"mon\" or \"Monday\", not 'fry'"),
        ('"thu", "fri"]', '"thu", "thursday"]', "calendar.school_days[4]: duplicate school day 'thu'"),
        ("start = 2026-11-26, end = 2026-11-27", "start = 2026-11-27, end = 2026-11-26",
         "calendar.holidays[2].end: must be on or after start (2026-11-27)"),
        ("school_days = [", "weekends = 2\nschool_days = [", "calendar.weekends: unknown key"),
        ('"America/Chicago"\ndemo = true', '"America/Chicago"\ndemo = true\nuuid = "abc"',
         "school.uuid: must be a UUID like"),
    ],
)
def test_bad_values_name_the_key(tmp_path, old, new, expected):
    assert error_for(tmp_path, demo_with(old, new)).startswith(expected)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("doors", "doors: must list at least one door"),
        ("locations", "locations: must list at least one location"),
        ("referral_destinations", "referral_destinations: must list at least one destination"),
        ("behaviors", "behaviors: must list at least one behavior"),
    ],
)
def test_empty_lists_are_refused(tmp_path, key, expected):
    text = MINIMAL.replace(next(line for line in MINIMAL.splitlines() if line.startswith(key)),
                           f"{key} = []")  # fmt: skip
    assert error_for(tmp_path, text) == expected


def test_empty_bell_schedule_and_zones_and_checkpoints(tmp_path):
    head, _, tail = MINIMAL.partition("[[bell_schedule]]")
    no_periods = "bell_schedule = []\n" + head + "[patrol]\n" + tail.partition("[patrol]\n")[2]
    assert error_for(tmp_path, no_periods) == "bell_schedule: must list at least one period"
    no_zones = MINIMAL.split("[[patrol.zones]]")[0].replace("[patrol]", "[patrol]\nzones = []")
    assert error_for(tmp_path, no_zones) == "patrol.zones: must list at least one zone"
    no_checkpoints = MINIMAL.replace('["Office", "Gym doors"]', "[]")
    assert error_for(tmp_path, no_checkpoints) == (
        "patrol.zones[0].checkpoints: must list at least one checkpoint"
    )


def test_missing_section_and_wrong_type(tmp_path):
    no_school = MINIMAL.replace("[school]", "[college]")
    assert error_for(tmp_path, no_school).startswith("college: unknown key (and 1 more problem)")
    school_text = MINIMAL.split("[school]")[0] + 'school = "Pine Ridge"\n'
    assert error_for(tmp_path, school_text).startswith("school: must be a table, not 'Pine Ridge'")
    doors_text = MINIMAL.replace('doors = ["Front"]', 'doors = "Front"')
    assert error_for(tmp_path, doors_text) == "doors: must be a list, like [\"a\", \"b\"], not 'Front'"
    assert error_for(tmp_path, "").startswith("school: missing (required) (and ")


def test_invalid_toml_names_the_line(tmp_path):
    message = error_for(tmp_path, 'doors = ["Front"]\n[school]\nname = "X"\ntimezone = \n')
    assert message.startswith("line 4: invalid TOML (")
    assert error_for(tmp_path, "[school\n").startswith("line 1: invalid TOML (")


def test_missing_file(tmp_path):
    path = tmp_path / "nope" / "profile.toml"
    with pytest.raises(ProfileError, match=r"profile\.toml: file not found$"):
        load_profile(path)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(ProfileError, match="cannot be read"):
        load_profile(tmp_path)


def test_binary_files(tmp_path):
    assert error_for(tmp_path, b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00") == (
        "not a UTF-8 text file (is it a TOML profile?)"
    )
    assert error_for(tmp_path, b"SQLite format 3\x00\x10\x00") == (
        "not a text file (is it a TOML profile?)"
    )


def test_profile_and_clock_never_import_textual():
    code = (
        "import sys, advocate_tui.profile, advocate_tui.clock; "
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ------------------------------------------------------------------ the calendar, the demo mark, the example file
def test_the_calendar_says_which_days_have_school():
    cal = demo_profile().calendar
    d = dt.date
    assert cal.day_off(d(2026, 11, 23)) is None and cal.is_school_day(d(2026, 11, 25))
    assert cal.day_off(d(2026, 11, 26)) == cal.day_off(d(2026, 11, 27)) == "Thanksgiving break"
    assert cal.day_off(d(2026, 11, 28)) == "weekend" and cal.day_off(d(2027, 1, 18)) == "Martin Luther King Jr. Day"
    assert cal.day_off(d(2026, 8, 14)) == "between school years" == cal.day_off(d(2027, 6, 7))
    assert cal.shift(d(2026, 11, 25), 1) == d(2026, 11, 30) and cal.shift(d(2026, 11, 30), -1) == d(2026, 11, 25)
    assert cal.school_days_between(d(2026, 11, 23), d(2026, 11, 29)) == 3
    assert cal.year_of(d(2026, 11, 28)) == (d(2026, 8, 17), d(2027, 6, 4))
    assert cal.year_of(d(2026, 7, 1)) == (d(2025, 8, 17), d(2026, 6, 4))     # the year before, moved back
    four_days = SchoolProfile.model_validate({**demo_profile().model_dump(), "calendar": {"school_days": [
        "Monday", "tue", "wed", "thu"]}}).calendar
    assert four_days.day_off(d(2026, 11, 27)) == "no school on Fridays" and four_days.year_of(d(2026, 1, 1)) is None


def test_a_profile_without_a_calendar_has_school_on_weekdays(tmp_path):
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.calendar.school_days == ["mon", "tue", "wed", "thu", "fri"] and not profile.calendar.has_year
    assert profile.calendar.day_off(dt.date(2026, 11, 28)) == "weekend"
    assert profile.calendar.day_off(dt.date(2026, 11, 26)) is None and not profile.school.demo


def test_only_the_demo_profile_is_marked_demo():
    assert demo_profile().school.demo
    assert not load_profile(EXAMPLE).school.demo


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "profile-us.toml"


def test_the_example_profile_is_complete_and_what_the_app_writes():
    """examples/profile-us.toml (the README's example) loads, names every key the format has (a new
    key must be documented there too), and is written as the app writes profiles."""
    from advocate_tui.profile import Patrol, RosterSettings, School, Terms
    from advocate_tui.profile_calendar import SchoolCalendar
    from advocate_tui.profile_settings import (CicoSettings, PeaceRoomSettings, ProcessKindSetting, ProcessSettings,
                                               SweepSettings)
    from advocate_tui.profile_toml import profile_to_toml

    text = EXAMPLE.read_text(encoding="utf-8")
    profile = load_profile(EXAMPLE)
    for model in (SchoolProfile, School, SchoolCalendar, Patrol, RosterSettings, Terms, ProcessSettings,
                  SweepSettings, PeaceRoomSettings, CicoSettings):
        for key in model.model_fields:
            assert re.search(rf"^(#? ?{key} = |#? ?\[{key}[.\]]|#? ?\[\w+\.{key}\])", text, re.M), \
                f"{key} is not in the example"
    header = "\n".join(line[2:] for line in text.split("\n\n# Minutes")[0].splitlines())
    assert profile_to_toml(profile, header) == text
    mapped = profile.model_copy(update={"roster": RosterSettings(map={"student_id": "Pupil No", "grade": "Year"})})
    kinds = profile.model_copy(update={"processes": ProcessSettings(kinds=[
        ProcessKindSetting(key="circle", name="Circle", tier=1),
        ProcessKindSetting(key="reentry", name="Re-entry circle", tier=3, check_in_days=[7, 21])])})
    for each in (profile, demo_profile(), mapped, kinds):
        assert load_profile(write_back(each)) == each


def test_the_uk_example_profile_is_a_uk_school_written_as_the_app_writes():
    """examples/profile-uk.toml: a UK secondary school (pupils, Year 7-13, day-first dates, half-terms),
    complete, written as the app writes profiles; the UK demo is the same school marked demo."""
    from advocate_tui.profile_toml import profile_to_toml

    path = EXAMPLE.with_name("profile-uk.toml")
    text = path.read_text(encoding="utf-8")
    uk = load_profile(path)
    assert (uk.school.timezone, uk.terms.student, uk.terms.grade, uk.terms.date_order, uk.terms.grade_scale) == (
        "Europe/London", "pupil", "Year", "day-first", "7-13")
    assert any("half-term" in h.name for h in uk.calendar.holidays) and not uk.school.demo
    header = "\n".join(line[2:] for line in text.split("\n\n# Minutes")[0].splitlines())
    assert profile_to_toml(uk, header) == text
    demo = demo_profile(uk=True)
    assert demo.school.demo and demo.model_copy(update={"school": uk.school}) == uk


def write_back(profile: SchoolProfile) -> Path:
    import tempfile

    from advocate_tui.profile_toml import profile_to_toml

    folder = Path(tempfile.mkdtemp())
    return write(folder, profile_to_toml(profile, "round trip"))
