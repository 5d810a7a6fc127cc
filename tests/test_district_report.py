"""``advocate report --combine DIR``: three schools' JSON reports added up, suppressed after adding.

Three small fictional schools with their own profiles (name, short name, time zone), each with its
own database; the totals and the suppression of the district report are checked against counts taken
from the three database files with plain SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import sqlite3
import stat
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from advocate_tui.cli.main import main
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import Incident, IncidentStudent
from advocate_tui.profile import demo_profile
from advocate_tui.services.report import write_report
from advocate_tui.services.stats import DateRange
from conftest import FROZEN_AT, ROSTER

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
START, END = "2026-11-01", "2026-11-23"
PERIOD = DateRange(dt.date(2026, 11, 1), dt.date(2026, 11, 23))
WEEK = [dt.date(2026, 11, 16) + dt.timedelta(days=i) for i in range(5)]

#: (behaviour, level, location, how many) per school. Added up: Disruption 18, Tardy 12 (4 at each school:
#: "<5" in each school's report), Defiance 6, Fighting 3 (a total under 5), Defiance the one to hide
#: beside it (the only small cell of the combined table).
PLANS = {
    "cedar": [("Disruption", "minor", "Classroom", 6), ("Tardy", "minor", "Hallway", 4),
              ("Defiance", "minor", "Classroom", 3), ("Fighting", "major", "Cafeteria", 1)],
    "maple": [("Disruption", "minor", "Classroom", 5), ("Tardy", "minor", "Hallway", 4),
              ("Defiance", "minor", "Gym", 3)],
    "lake": [("Disruption", "minor", "Classroom", 7), ("Tardy", "minor", "Hallway", 4),
             ("Fighting", "major", "Cafeteria", 2)],
}


def profile_of(name: str | None, short: str | None, tz: str | None = None):
    profile = demo_profile()
    if name is None:
        return profile  # the demo profile's own school (Cedar Hollow High School)
    school = profile.school.model_copy(update={"name": name, "short_name": short,
                                               "timezone": tz or profile.school.timezone})
    return profile.model_copy(update={"school": school})


PROFILES = {
    "cedar": (None, None, None),
    "maple": ("Maple Ridge Middle School", "maple-ridge", None),
    "lake": ("Lakeside *North* Elementary", "lakeside-north", "America/New_York"),
}


def build_school(folder: Path, key: str, plan=None, *, days=WEEK) -> tuple[Desk, Path]:
    profile = profile_of(*PROFILES[key])
    desk = Desk.open(folder / key / "advocate.db", profile, clock=Clock.frozen(profile, FROZEN_AT))
    desk.store.upsert_students(ROSTER)
    n = 0
    for behavior, level, location, count in plan if plan is not None else PLANS[key]:
        for _ in range(count):
            at = desk.clock.at(days[n % len(days)], dt.time(9 + n % 6, 10))
            desk.store.add(Incident(occurred_at=at, location=location, behavior=behavior, level=level,
                                    students=[IncidentStudent(student_id=ROSTER[n % 6].local_id, role="responsible")]))
            n += 1
    return desk, desk.store.path


@pytest.fixture
def schools(tmp_path):
    """Three schools' databases and their JSON reports (the first through the command line) in one folder."""
    reports = tmp_path / "reports"
    dbs = {}
    for key in PLANS:
        desk, db = build_school(tmp_path, key)
        if key == "maple":  # a voided incident is counted nowhere
            extra = desk.store.add(Incident(occurred_at=desk.clock.at(WEEK[0], dt.time(10)), location="Gym",
                                            behavior="Fighting", level="major"))
            desk.store.void(Incident, extra.id, "logged twice")
        if key == "cedar":
            desk.close()
            assert main(["report", "--from", START, "--to", END, "--out", str(reports), "--db", str(db)]) == 0
        else:
            write_report(desk, PERIOD, reports)
            desk.close()
        dbs[key] = db
    return reports, dbs


def sql_total(dbs, query: str) -> Counter:
    """``query`` (key, count) run on every school's file, added up."""
    total: Counter = Counter()
    for db in dbs.values():
        with sqlite3.connect(db) as conn:
            for k, n in conn.execute(query, [START, END]).fetchall():
                total[k] += n
    return total


def suppressed(counts: dict[str, int]) -> dict[str, str]:
    """The rule, written out: 1–4 is "<5"; a table with one such cell hides its next smallest count too."""
    cells = {k: "<5" if 0 < n < 5 else str(n) for k, n in counts.items()}
    small = [k for k, n in counts.items() if 0 < n < 5]
    big = sorted((n, k) for k, n in counts.items() if n >= 5)
    if len(small) == 1 and big:
        cells[big[0][1]] = "*"
    return cells


def combine(reports: Path, out: Path, capsys=None) -> int:
    return main(["report", "--combine", str(reports), "--out", str(out)])


def csv_rows(folder: Path) -> dict[str, dict[str, str]]:
    (path,) = folder.glob("district-report-*.csv")
    out: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()):
        out.setdefault(row["section"], {})[row["label"]] = row["count"]
    return out


def markdown(folder: Path) -> str:
    (path,) = folder.glob("district-report-*.md")
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ each school's JSON
def test_each_school_report_has_its_exact_counts_in_json_beside_the_suppressed_ones(schools):
    reports, dbs = schools
    check = Draft202012Validator(json.loads((SCHEMAS / "report.schema.json").read_text(encoding="utf-8")))
    found = sorted(reports.glob("*.json"))
    assert len(found) == 3
    for path in found:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(check.iter_errors(data)) == []
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert data["confidential"] is True and "district" in data["notice"]
        assert path.with_suffix(".md").is_file() and path.with_suffix(".csv").is_file()
    stem = reports / f"program-report-cedar-hollow-hs-{START}_{END}"
    cedar = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert cedar["school_short"] == "cedar-hollow-hs" and cedar["school"] == "Cedar Hollow High School"
    behaviour = {r["label"]: r["count"] for t in cedar["tables"] if t["key"] == "behavior" for r in t["rows"]}
    assert behaviour == {"Disruption": 6, "Tardy": 4, "Defiance": 3, "Fighting": 1}  # exact, small ones too
    assert "| Tardy | <5 |" in stem.with_suffix(".md").read_text(encoding="utf-8")
    assert not any("Students with the most incidents" == t["title"] for t in cedar["tables"])


# ------------------------------------------------------------------ combined, then suppressed
def test_three_schools_combine_to_the_sql_totals_suppressed_after_adding(schools, tmp_path, capsys):
    reports, dbs = schools
    out = tmp_path / "district"
    assert combine(reports, out) == 0
    printed = capsys.readouterr().out
    assert "3 report(s) of 3 school(s)" in printed
    rows = csv_rows(out)
    live = "FROM incidents WHERE voided = 0 AND day BETWEEN ? AND ?"
    behaviour = sql_total(dbs, f"SELECT behavior, count(*) {live} GROUP BY behavior")
    location = sql_total(dbs, f"SELECT location, count(*) {live} GROUP BY location")
    assert rows["Incidents by behaviour"] == suppressed(behaviour)
    assert rows["Incidents by location"] == suppressed(location)
    incidents = sql_total(dbs, f"SELECT 'all', count(*) {live}")["all"]
    major = sql_total(dbs, f"SELECT level, count(*) {live} GROUP BY level")["major"]
    assert rows["summary"]["incidents"] == str(incidents) == "39"
    assert rows["summary"]["major incidents"] == "<5" and major == 3
    days_with = sql_total(dbs, f"SELECT 'all', count(DISTINCT day) {live}")["all"]  # added over the schools
    assert rows["summary"]["school days with an incident"] == str(days_with) == "15"
    # the cases of the issue, one by one
    assert rows["Incidents by behaviour"]["Fighting"] == "<5"     # a total under 5 (1 + 0 + 2)
    assert rows["Incidents by behaviour"]["Tardy"] == "12"        # 4 + 4 + 4: "<5" at each school, shown here
    assert rows["Incidents by behaviour"]["Defiance"] == "*"      # hidden: Fighting = total - the rest otherwise
    assert rows["Incidents by behaviour"]["Disruption"] == "18"
    text = markdown(out)
    assert "| Tardy | 12 |" in text and "| Fighting | <5 |" in text and "| Defiance | * |" in text
    assert "| Major incidents | <5 |" in text and "| Incidents | 39 |" in text
    for n in ("1", "2", "3", "4"):
        assert n not in {c for section in rows.values() for c in section.values()}
    # rates again from the added counts and days: incidents ÷ school days, all schools together. A
    # school's school days are its calendar's (Monday to Friday; no holiday of the demo calendar falls in
    # 1-23 November) from its first record to the end of the period: 16-20 and 23 November, 6 each
    firsts = sql_total(dbs, "SELECT min(day), 1 FROM incidents WHERE day BETWEEN ? AND ?")
    end = dt.date.fromisoformat(END)
    days = sum(count * sum(1 for i in range((end - dt.date.fromisoformat(first)).days + 1)
                           if (dt.date.fromisoformat(first) + dt.timedelta(days=i)).weekday() < 5)
               for first, count in firsts.items())
    assert days == 18
    assert rows["Incidents per school day, by month"] == {"2026-11": f"{incidents / days:.1f}"}
    # who is in it, shown as typed (a name from a file is text, not Markdown)
    assert "Cedar Hollow High School (cedar-hollow-hs): 2026-11-01 to 2026-11-23" in text
    assert "Lakeside \\*North\\* Elementary (lakeside-north)" in text
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


def test_a_school_may_bring_two_periods_that_do_not_overlap(schools, tmp_path):
    reports, dbs = schools
    october = [dt.date(2026, 10, 5) + dt.timedelta(days=i) for i in range(5)]
    desk, _ = build_school(tmp_path / "again", "maple", [("Tardy", "minor", "Hallway", 2)], days=october)
    try:
        write_report(desk, DateRange(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), reports)
    finally:
        desk.close()
    assert combine(reports, tmp_path / "district") == 0
    rows = csv_rows(tmp_path / "district")
    assert rows["Incidents by behaviour"]["Tardy"] == "14" and rows["summary"]["incidents"] == "41"
    assert (tmp_path / "district" / "district-report-2026-10-01_2026-11-23.md").is_file()


# ------------------------------------------------------------------ refused, in one line, nothing written
def _copy_of(reports: Path, **changes) -> dict:
    (first, *_) = sorted(reports.glob("*.json"))
    return {**json.loads(first.read_text(encoding="utf-8")), **changes}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.json", lambda r: {"hello": "world"}, "notes.json is not a program report"),
    ("bundle.json", lambda r: {"format": "advocate-tui.handoff", "format_version": 2}, "bundle.json is not a program report"),
    ("cut.json", lambda r: '{"format": "advocate-tui.rep', "cut.json is not a program report (not JSON"),
    ("newer.json", lambda r: _copy_of(r, format_version=2), "newer.json is a program report of another version"),
    ("bad.json", lambda r: _copy_of(r, school_short="elsewhere", summary={"incidents": -3}),
     "bad.json is not a sound program report (summary"),
    ("twice.json", lambda r: _copy_of(r), "for the same period: keep one of them"),
    ("overlap.json", lambda r: _copy_of(r, period_start="2026-11-20", period_end="2026-12-18"),
     "overlap.json and program-report-cedar-hollow-hs-2026-11-01_2026-11-23.json are both reports of "
     "cedar-hollow-hs for overlapping periods (2026-11-20 to 2026-12-18; 2026-11-01 to 2026-11-23)"),
    ("demo.json", lambda r: _copy_of(r, school_short="demo-school", demo=True), "is the demo school's report"),
])
def test_a_file_that_is_not_a_report_or_counts_twice_is_refused(schools, tmp_path, capsys, name, content, message):
    reports, _ = schools
    data = content(reports)
    (reports / name).write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out = tmp_path / "district"
    assert combine(reports, out) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not out.exists()


def test_a_folder_without_reports_and_dates_with_combine_are_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert combine(tmp_path / "empty", tmp_path / "out") == 1
    assert "holds no JSON report" in capsys.readouterr().err
    assert combine(tmp_path / "missing", tmp_path / "out") == 1
    assert "is not a folder" in capsys.readouterr().err
    assert main(["report", "--combine", str(tmp_path / "empty"), "--from", START]) == 2
    assert "no --from or --to" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_big_file_is_refused_before_it_is_read(schools, tmp_path, capsys):
    reports, _ = schools
    with open(reports / "huge.json", "wb") as fh:
        fh.truncate(6 * 1024 * 1024)
    assert combine(reports, tmp_path / "district") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "huge.json is not a program report (over 5 MB)" in err[0]


def test_copied_reports_of_the_demo_school_alone_combine(demo_file, tmp_path, profile, clock):
    """The demo's reports combine with each other (a demo district), the flag kept apart from real schools."""
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    desk = Desk.open(db, profile, clock=clock)
    try:
        files = write_report(desk, PERIOD, tmp_path / "reports")
    finally:
        desk.close()
    assert json.loads(files.json.read_text(encoding="utf-8"))["demo"] is True
    assert combine(tmp_path / "reports", tmp_path / "district") == 0
