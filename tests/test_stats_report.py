"""The coordinator's counts and the de-identified report, checked against plain SQL on the database.

The data is the fictional demo school (advocate_tui.demo.build_demo) plus a few records of our own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import sqlite3
import stat
from collections import Counter

import pytest

from advocate_tui.cli.main import main
from advocate_tui.desk import Desk
from advocate_tui.models import Incident
from advocate_tui.services.export import safe_cell, write_csv
from advocate_tui.services.report import report_csv_rows, report_markdown, shown, suppressed_rows, write_report
from advocate_tui.services.stats import DateRange, StatTable, compute, range_for, school_year
from advocate_tui.store import stats_queries

YEAR = DateRange(dt.date(2026, 8, 1), dt.date(2027, 7, 31))


@pytest.fixture
def demo(demo_file, tmp_path, profile, clock):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    d = Desk.open(path, profile, clock=clock)
    yield d
    d.close()


def sql(desk, query, params=()):
    with sqlite3.connect(desk.store.path) as conn:
        return conn.execute(query, params).fetchall()


def live(desk, table, start="2026-08-01", end="2027-07-31"):
    return f"FROM {table} WHERE voided = 0 AND day >= '{start}' AND day <= '{end}'"


def as_dict(table: StatTable) -> dict[str, int]:
    return dict(table.rows)


# ------------------------------------------------------------------ ranges
def test_range_keys(demo):
    today = dt.date(2026, 11, 23)  # a Monday
    assert range_for("t", today) == DateRange(today, today, "today")
    assert (range_for("w", today).start, range_for("w", today).end) == (today, dt.date(2026, 11, 29))
    assert (range_for("m", today).start, range_for("m", today).end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (school_year(today).start, school_year(today).end) == (dt.date(2026, 8, 1), dt.date(2027, 7, 31))
    assert school_year(dt.date(2027, 3, 1)).start == dt.date(2026, 8, 1)
    first = sql(demo, "SELECT min(day) FROM incidents")[0][0]
    assert range_for("a", today, demo.store).start.isoformat() <= first


# ------------------------------------------------------------------ counts vs plain SQL
def test_big_five_match_plain_sql(demo, profile):
    stats = compute(demo, YEAR)
    assert stats.incidents == sql(demo, f"SELECT count(*) {live(demo, 'incidents')}")[0][0] > 50
    for key, column in (("behavior", "behavior"), ("location", "location")):
        expected = dict(sql(demo, f"SELECT {column}, count(*) {live(demo, 'incidents')} GROUP BY {column}"))
        assert as_dict(stats.table(key)) == expected
    rows = sql(demo, f"SELECT occurred_at, day {live(demo, 'incidents')}")
    hours = Counter(f"{dt.datetime.fromisoformat(at).hour:02d}:00" for at, _ in rows)
    assert as_dict(stats.table("hour")) == dict(hours)
    in_periods = Counter(p.name for at, _ in rows if (p := profile.period_at(dt.datetime.fromisoformat(at).time())))
    got_periods = as_dict(stats.table("period"))
    assert {k: v for k, v in got_periods.items() if k in in_periods} == dict(in_periods)
    assert sum(got_periods.values()) == len(rows)
    weekdays = Counter(dt.date.fromisoformat(day).strftime("%A") for _, day in rows)
    assert {k: v for k, v in as_dict(stats.table("weekday")).items() if v} == dict(weekdays)
    per_student = Counter(sid for (sid,) in sql(
        demo, "SELECT rs.student_id FROM incidents i JOIN record_students rs ON rs.record_id = i.id "
              "AND rs.record_type = 'incident' WHERE i.voided = 0 AND i.day BETWEEN '2026-08-01' AND '2027-07-31' "
              "AND (rs.role IS NULL OR rs.role IN ('responsible', 'involved'))"))
    top = stats.table("students").rows
    assert top[0][1] == max(per_student.values())
    assert sorted(n for _, n in top) == sorted(per_student.values())[-len(top):]
    leader = max(per_student, key=lambda s: (per_student[s], -int(s[1:])))
    assert f"({leader} " in top[0][0] or f"({leader})" in top[0][0]
    tiers = as_dict(stats.table("tiers"))
    assert tiers["1 incident"] == sum(1 for n in per_student.values() if n == 1)
    assert tiers["2–5 incidents"] == sum(1 for n in per_student.values() if 2 <= n <= 5)


def test_referrals_attendance_doors_patrols_match_plain_sql(demo):
    stats = compute(demo, YEAR)
    assert as_dict(stats.table("ref_destination")) == dict(
        sql(demo, f"SELECT destination, count(*) {live(demo, 'referrals')} GROUP BY destination"))
    from advocate_tui.models import AttendanceKind, FollowUpStatus, ReferralStatus

    assert as_dict(stats.table("ref_status")) == {ReferralStatus(k).label: n for k, n in sql(
        demo, f"SELECT status, count(*) {live(demo, 'referrals')} GROUP BY status")}
    assert as_dict(stats.table("att_kind")) == {AttendanceKind(k).label: n for k, n in sql(
        demo, f"SELECT attendance_kind, count(*) {live(demo, 'attendance_followups')} GROUP BY attendance_kind")}
    assert as_dict(stats.table("att_status")) == {FollowUpStatus(k).label: n for k, n in sql(
        demo, f"SELECT status, count(*) {live(demo, 'attendance_followups')} GROUP BY status")}
    assert as_dict(stats.table("doors")) == dict(
        sql(demo, f"SELECT door, count(*) {live(demo, 'door_checks')} AND status != 'secure' GROUP BY door"))
    issues = Counter()
    for zone, checkpoints in sql(demo, f"SELECT zone, checkpoints {live(demo, 'patrol_rounds')}"):
        issues[zone] += sum(1 for c in json.loads(checkpoints) if c["status"] == "issue")
    assert as_dict(stats.table("patrol")) == {z: n for z, n in issues.items() if n}
    assert stats.patrol_exceptions == sum(issues.values()) > 0


def test_a_voided_incident_is_not_counted_and_ranges_narrow(demo, clock):
    before = compute(demo, YEAR)
    incident = demo.store.select(Incident, limit=1)[0]
    demo.store.void(Incident, incident.id, "entered twice")
    after = compute(demo, YEAR)
    assert after.incidents == before.incidents - 1
    assert as_dict(after.table("behavior")).get(incident.behavior, 0) == as_dict(before.table("behavior"))[incident.behavior] - 1
    today = compute(demo, range_for("t", clock.today()))
    assert today.incidents == sql(demo, f"SELECT count(*) {live(demo, 'incidents', '2026-11-23', '2026-11-23')}")[0][0]
    assert today.incidents < after.incidents


def test_range_queries_use_the_day_index(demo):
    """A count over a range of days reads an index on the day that holds what it counts (m012): no
    incident row is read (on an encrypted decade, every row read is a page decrypted)."""
    plan = " ".join(str(r) for r in demo.store.db.execute(
        "EXPLAIN QUERY PLAN SELECT behavior, count(*) FROM incidents WHERE day BETWEEN ? AND ? AND voided = 0 "
        "GROUP BY behavior", ["2026-11-23", "2026-11-29"]).fetchall())
    assert "COVERING INDEX idx_incidents_counts (day>? AND day<?)" in plan
    assert stats_queries.incidents_by(demo.store, "behavior", "2030-01-01", "2030-12-31") == []


def _plain_per_student(desk, start, end) -> list[tuple[str, int]]:
    counts = Counter(sid for (sid,) in sql(
        desk, "SELECT rs.student_id FROM incidents i JOIN record_students rs ON rs.record_id = i.id "
              "AND rs.record_type = 'incident' WHERE i.voided = 0 AND i.day BETWEEN ? AND ? "
              "AND (rs.role IS NULL OR rs.role IN ('responsible', 'involved'))", [start, end]))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def test_students_counts_are_the_same_by_either_way_of_reading_them(demo):
    """Over most of the file the per-student counts walk every incident link in id order (m014); over a
    short range they start from the range's incidents: both give plain SQL's counts, most first."""
    first, last = sql(demo, "SELECT min(day), max(day) FROM incidents WHERE voided = 0")[0]
    demo.store.void(Incident, demo.store.select(Incident, limit=1)[0].id, "entered twice")
    span = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
    short_end = (dt.date.fromisoformat(last) - dt.timedelta(days=span // 4)).isoformat()
    short = (dt.date.fromisoformat(short_end) - dt.timedelta(days=span // 4)).isoformat()
    assert stats_queries._most_incidents(demo.store, first, last)
    assert not stats_queries._most_incidents(demo.store, short, short_end)
    for start, end in ((first, last), ("2000-01-01", "2099-12-31"), (short, short_end)):
        expected = _plain_per_student(demo, start, end)
        assert expected and stats_queries.incidents_per_student(demo.store, start, end) == expected
        assert stats_queries.incidents_per_student(demo.store, start, end, limit=3) == expected[:3]


def test_incidents_counted_in_one_pass_give_the_counts_of_one_query_each(demo, clock):
    """The data screen's incident counts come from one read of the index (``incident_counts``): the same
    figures, in the same order, as each count's own query, voided incidents left out."""
    demo.store.void(Incident, demo.store.select(Incident, limit=1)[0].id, "entered twice")
    store = demo.store
    for start, end in (("2000-01-01", "2099-12-31"), ("2026-11-16", "2026-11-22"), ("2030-01-01", "2030-12-31")):
        got = stats_queries.incident_counts(store, start, end)
        assert got == {
            **{c: stats_queries.incidents_by(store, c, start, end) for c in ("behavior", "location", "level")},
            "minute": stats_queries.incidents_by_minute(store, start, end),
            "weekday": stats_queries.incidents_by_weekday(store, start, end),
            "month": stats_queries.incidents_by_month(store, start, end),
            "days": [(str(stats_queries.incident_days(store, start, end)),
                      stats_queries.total(store, "incidents", start, end))]}
    assert got["days"] == [("0", 0)] and sum(n for _, n in stats_queries.incident_counts(
        store, "2000-01-01", "2099-12-31")["behavior"]) == sql(demo, "SELECT count(*) FROM incidents WHERE voided = 0")[0][0]


def test_all_years_figures_read_indexes_only(demo, clock, monkeypatch):
    """Every query of the data screen's "all" figures reads an index that holds what it needs (m012,
    m014): no record row is read (on an encrypted decade, every row read is pages decrypted)."""
    db = demo.store.db
    real = db.execute
    plans: dict[str, str] = {}

    def execute(query, params=(), *args, **kwargs):
        if query.lstrip().upper().startswith(("SELECT", "WITH")):
            plans[query] = " | ".join(r[-1] for r in real("EXPLAIN QUERY PLAN " + query, params).fetchall())
        return real(query, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute", execute)
    stats = compute(demo, range_for("a", clock.today(), demo.store))
    assert stats.incidents > 50 and stats.patrol_exceptions > 0
    for query, plan in plans.items():
        if query.lstrip().startswith("SELECT referral_id FROM processes"):
            continue  # the processes of the referrals counted (a few), by their own index
        ctes = set(re.findall(r"(?:WITH|,)\s*(\w+) AS (?:MATERIALIZED )?\(", query))  # made in memory
        reads_rows = [step for step in plan.split(" | ") if (m := re.match(r"(SEARCH|SCAN) (\w+)( |$)", step))
                      and m.group(2) not in ctes and "COVERING INDEX" not in step and "VIRTUAL TABLE" not in step
                      and not re.match(r"SCAN (\(subquery|CONSTANT ROW)", step)]
        assert not reads_rows, (query, plan)


# ------------------------------------------------------------------ the report
def test_small_cell_suppression():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    lone = StatTable("x", "x", [("a", 20), ("b", 7), ("c", 3), ("d", 0)])
    assert suppressed_rows(lone) == [("a", "20"), ("b", "*"), ("c", "<5"), ("d", "0")]
    two = StatTable("x", "x", [("a", 20), ("b", 2), ("c", 3)])
    assert suppressed_rows(two) == [("a", "20"), ("b", "<5"), ("c", "<5")]


def _student_words(desk) -> tuple[set[str], set[str]]:
    rows = sql(desk, "SELECT local_id, given_name, family_name, preferred_name FROM students")
    numbers = {r[0] for r in rows}
    names = {f"{r[1]} {r[2]}" for r in rows} | {f"{r[3]} {r[2]}" for r in rows if r[3]}
    return numbers, names


def test_report_has_no_names_numbers_or_small_counts(demo, tmp_path):
    files = write_report(demo, YEAR, tmp_path / "out")
    for path in (files.markdown, files.csv):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = files.markdown.read_text(encoding="utf-8")
    table = files.csv.read_text(encoding="utf-8-sig")
    numbers, names = _student_words(demo)
    for blob in (text, table):
        assert not any(re.search(rf"\b{re.escape(n)}\b", blob) for n in numbers)
        assert not any(name in blob for name in names)
    md_counts = re.findall(r"\| ([^|]*) \|\s*$", text, flags=re.M)
    assert md_counts and not set(md_counts) & {"1", "2", "3", "4"}
    assert "<5" in md_counts
    rows = list(csv.DictReader(table.splitlines()))
    assert rows and not {r["count"] for r in rows} & {"1", "2", "3", "4"}
    stats = compute(demo, YEAR)
    assert f"| Incidents | {stats.incidents} |" in text
    for label, n in stats.table("behavior").rows:
        if n >= 5 and (label, "*") not in suppressed_rows(stats.table("behavior")):
            assert f"| {label} | {n} |" in text
    assert "Students with the most incidents" not in text and "Students by number of incidents" in text


def test_report_cli(demo, tmp_path, capsys):
    db = str(demo.store.path)
    demo.close()
    out = tmp_path / "report"
    assert main(["report", "--from", "2026-11-01", "--to", "2026-11-23", "--out", str(out), "--db", db]) == 0
    printed = capsys.readouterr().out
    stem = "program-report-cedar-hollow-hs-2026-11-01_2026-11-23"
    assert f"{stem}.md" in printed and (out / f"{stem}.csv").exists() and (out / f"{stem}.json").exists()
    assert main(["report", "--from", "Nov 1", "--db", db]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--from 'Nov 1' is not a date" in err[0]
    assert main(["report", "--db", str(tmp_path / "nothing.db")]) == 1
    assert "no database" in capsys.readouterr().err


def test_report_csv_rows_match_the_markdown(demo):
    stats = compute(demo, YEAR)
    text = report_markdown(demo, stats)
    for section, label, count in report_csv_rows(stats):
        if section != "summary":
            assert f"| {label} | {count} |" in text


# ------------------------------------------------------------------ CSV export
@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Ana", "Ana"), ("", ""), (None, ""), (-3, "-3"), (4.5, "4.5"), (True, "yes"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_is_private_and_neutralised(tmp_path):
    path = write_csv(tmp_path / "x" / "list.csv", ["name", "count"], [["=cmd|' /C calc'!A0", 3], ["Zoë", 5]])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [["name", "count"], ["'=cmd|' /C calc'!A0", "3"], ["Zoë", "5"]]


def test_incidents_per_school_day_by_month(demo):
    stats = compute(demo, YEAR)
    table = stats.table("per_day")
    open_days = dict(sql(demo, "SELECT substr(day, 1, 7), count(DISTINCT day) FROM (SELECT day FROM door_checks "
                               "WHERE voided = 0 UNION SELECT day FROM patrol_rounds WHERE voided = 0 UNION "
                               "SELECT day FROM incidents WHERE voided = 0) GROUP BY 1"))
    per_month = dict(sql(demo, f"SELECT substr(day, 1, 7), count(*) {live(demo, 'incidents')} GROUP BY 1"))
    assert dict(table.rows) == {m: round(per_month.get(m, 0) / n, 2) for m, n in open_days.items()}
    small = StatTable("per_day", "x", [("2026-09", 0.2), ("2026-10", 4.62)], basis={"2026-09": 3, "2026-10": 74})
    assert suppressed_rows(small) == [("2026-09", "–"), ("2026-10", "4.6")]
