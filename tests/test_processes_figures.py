"""What the programme learns from its restorative processes, as a coordinator reads it: the median days
from a referral to its first meeting (the issue's measure) on the data screen, in ``advocate report``
(Markdown, CSV) and not in the district's JSON (a median cannot be added up); the outcomes table
suppressed pair by pair (a part beside its whole never gives a small rest away); the district report's
averages hidden under 5 answers like the school's. Values are computed from the database itself."""

from __future__ import annotations

import csv
import json
import statistics
from datetime import date

import pendulum

from advocate_tui.models import Referral
from advocate_tui.services import processes as svc
from advocate_tui.services import report as report_service
from advocate_tui.services import stats as stats_service
from advocate_tui.services.district import load_reports, write_district_report

TZ = "America/Chicago"
#: days from each referral to its first meeting (the last referral never meets)
WAITS = (1, 2, 2, 7, 30)
REFERRED = pendulum.datetime(2026, 11, 2, 9, 30, tz=TZ)
RANGE = stats_service.DateRange(date(2026, 11, 1), date(2026, 12, 31))


def seed(desk, waits=WAITS, unmet: int = 1) -> None:
    """Referrals on 2 November, each with a process whose first meeting is ``waits`` days later, and
    ``unmet`` referrals more whose process never met."""
    for n, wait in enumerate([*waits, *[None] * unmet]):
        referral = desk.store.add(Referral(referred_at=REFERRED.add(minutes=n), students=["S1001", "S1003"],
                                           destination="Restorative coordinator", purpose="conference",
                                           reason=f"Harm {n}"))
        process = svc.start_from_referral(desk, referral.id)
        if wait is not None:
            svc.hold_meeting(desk, process.id, at=REFERRED.add(days=wait, hours=2), reason="held",
                             agreement_reached=False)


def db_waits(desk) -> list[int]:
    """Days from each referral to its process's first held meeting, from the database."""
    rows = desk.store.db.execute(
        "SELECT substr(r.referred_at, 1, 10), min(substr(json_extract(m.value, '$.at'), 1, 10)) "
        "FROM referrals AS r JOIN processes AS p ON p.referral_id = r.id, json_each(p.meetings) AS m "
        "WHERE json_extract(m.value, '$.held') GROUP BY r.id").fetchall()
    return [(date.fromisoformat(met) - date.fromisoformat(ref)).days for ref, met in rows]


async def test_the_data_screen_and_the_report_show_the_median_days_to_a_meeting(make_app, desk, tmp_path):
    seed(desk)
    waits = db_waits(desk)
    assert sorted(waits) == sorted(WAITS)
    median, mean = statistics.median(waits), statistics.mean(waits)
    assert median != mean  # (so the median shown can't be the mean)

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("a")  # everything on file
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        averages = next(t for t in screen.stats.tables if t.key == "proc_averages")
        rows = dict(averages.rows)
        assert rows["Days from referral to first meeting (median)"] == median
        assert rows["Days from referral to first meeting (mean)"] == round(mean, 2)
        screen.show_table("proc_averages")
        await pilot.pause()
        grid = screen.query_one("#data-table")
        shown = [(str(grid.get_row_at(i)[0]), str(grid.get_row_at(i)[1])) for i in range(grid.row_count)]
        # the median first, then the mean (both labels start alike; a narrow table cuts them)
        assert [value for _, value in shown[:2]] == [f"{median:g}", f"{round(mean, 2):g}"]
        assert all(label.startswith("Days from referral") for label, _ in shown[:2])

    files = report_service.write_report(desk, RANGE, tmp_path)
    markdown = files.markdown.read_text(encoding="utf-8")
    assert f"| Days from referral to first meeting (median) | {median:.1f} |" in markdown
    assert f"| Days from referral to first meeting (mean) | {mean:.1f} |" in markdown
    with open(files.csv, encoding="utf-8", newline="") as fh:
        csv_rows = {row["label"]: row["count"] for row in csv.DictReader(fh)}
    assert csv_rows["Days from referral to first meeting (median)"] == f"{median:.1f}"
    # the district's JSON adds up counts: the mean's sum and meetings are there, a median (no sum) is not
    data = json.loads(files.json.read_text(encoding="utf-8"))
    table = next(t for t in data["tables"] if t["key"] == "proc_averages")
    by_label = {r["label"]: r for r in table["rows"]}
    assert (by_label["Days from referral to first meeting (mean)"]["count"],
            by_label["Days from referral to first meeting (mean)"]["days"]) == (sum(waits), len(waits))
    assert "Days from referral to first meeting (median)" not in by_label


def test_under_five_meetings_the_median_is_hidden_in_the_report(desk):
    seed(desk, waits=(3, 4, 9), unmet=0)
    stats = stats_service.compute(desk, RANGE)
    assert dict(stats.table("proc_averages").rows)["Days from referral to first meeting (median)"] == 4
    markdown = report_service.report_markdown(desk, stats)
    assert "| Days from referral to first meeting (median) | – |" in markdown


def test_the_outcomes_table_is_suppressed_pair_by_pair(desk):
    """Six referrals, five of them met: "Referrals made 6" beside "became a meeting 5" tells that one
    referral never met, so the five is hidden; a lone small count elsewhere hides nothing unrelated."""
    seed(desk)
    stats = stats_service.compute(desk, RANGE)
    exact = dict(stats.table("proc_outcomes").rows)
    db = desk.store.db
    made = db.execute("SELECT count(*) FROM referrals WHERE voided = 0").fetchone()[0]
    met = len(db_waits(desk))
    assert (exact["Referrals made"], exact["Referrals that became a meeting"]) == (made, met) == (6, 5)
    shown = dict(report_service.suppressed_rows(stats.table("proc_outcomes")))
    assert shown["Referrals made"] == "6"
    assert shown["Referrals that became a meeting"] == "*"  # 6 − 5 would give the one away
    # every other measure is what it is: 0 or "<5", never hidden for a small count of another measure
    for label, n in exact.items():
        if label not in ("Referrals made", "Referrals that became a meeting"):
            assert shown[label] == report_service.shown(n), label


def test_the_district_report_hides_an_average_of_fewer_than_five_meetings(desk, tmp_path):
    """Three meetings ten days after their referrals: the sum (30) is large, the meetings few; the
    combined report hides that average as the school's own report does."""
    seed(desk, waits=(10, 10, 10), unmet=0)
    reports, out = tmp_path / "reports", tmp_path / "out"
    reports.mkdir()
    out.mkdir()
    school = report_service.write_report(desk, RANGE, reports)
    assert "| Days from referral to first meeting (mean) | – |" in school.markdown.read_text(encoding="utf-8")
    school.markdown.unlink()
    school.csv.unlink()
    files = write_district_report(load_reports(reports), out, "2026-11-23 10:45")
    district = files.markdown.read_text(encoding="utf-8")
    assert "| Days from referral to first meeting (mean) | – |" in district
    assert "| Days from referral to first meeting (mean) | 10.0 |" not in district


def test_a_district_keeps_the_outcome_pairs(desk, tmp_path):
    seed(desk)
    reports, out = tmp_path / "reports", tmp_path / "out"
    reports.mkdir()
    out.mkdir()
    school = report_service.write_report(desk, RANGE, reports)
    school.markdown.unlink()
    school.csv.unlink()
    district = write_district_report(load_reports(reports), out, "x").markdown.read_text(encoding="utf-8")
    assert "| Referrals made | 6 |" in district and "| Referrals that became a meeting | * |" in district




# --- a district's database: the process is its referral's school's -------------------------------

from district_helpers import district  # noqa: E402,F401 - the fixture


def test_a_process_started_in_a_district_database_is_its_referrals_schools(district, tmp_path):
    """The coordinator starts a process from Lincoln's referral: the process is Lincoln's (the database
    says so), Lincoln's report counts it and Cedar Hollow's does not."""
    coord = district.coord
    lincoln_ref = district.lincoln_day["referrals"][0]
    [ref_id] = [r for r, school in coord.store.db.execute(
        "SELECT record_id, school FROM record_schools WHERE record_type = 'referral'").fetchall()
        if school == "lincoln-ms" and r == lincoln_ref.id]
    process = svc.start_from_referral(coord, ref_id)
    assert process.student_ids() == [f"lincoln-ms:{sid}" for sid in lincoln_ref.students]
    stored = coord.store.db.execute("SELECT school FROM record_schools WHERE record_type = 'process' "
                                    "AND record_id = ?", [process.id]).fetchone()
    assert stored == ("lincoln-ms",)

    today = coord.clock.today()
    rng = stats_service.DateRange(today, today)
    lincoln = stats_service.compute(coord, rng, "lincoln-ms")
    cedar = stats_service.compute(coord, rng, "cedar-hollow-hs")
    everyone = stats_service.compute(coord, rng)
    assert dict(lincoln.table("proc_stage").rows) == {"Referred": 1}
    assert dict(cedar.table("proc_stage").rows) == {}
    assert dict(everyone.table("proc_stage").rows) == {"Referred": 1}
    # each school's referrals are its own in the outcomes table (what the summary counts too)
    for short, stats in (("lincoln-ms", lincoln), ("cedar-hollow-hs", cedar)):
        assert dict(stats.table("proc_outcomes").rows)["Referrals made"] == stats.referrals == len(
            coord.store.school_records("referral", short))
    files = report_service.write_report(coord, rng, tmp_path, school="lincoln-ms")
    data = json.loads(files.json.read_text(encoding="utf-8"))
    kinds = next(t for t in data["tables"] if t["key"] == "proc_kind")
    assert sum(r["count"] for r in kinds["rows"]) == 1
    files = report_service.write_report(coord, rng, tmp_path, school="cedar-hollow-hs")
    data = json.loads(files.json.read_text(encoding="utf-8"))
    assert sum(r["count"] for t in data["tables"] if t["key"] == "proc_kind" for r in t["rows"]) == 0


def test_a_districts_day_tables_count_one_schools_students(district):
    """Sweeps, Peace Room visits and CICO on a coordinator's database: a school's report counts the
    records of its own students (keyed '<school>:<number>'), not the other school's."""
    from advocate_tui.services import cico, peace_room, sweeps

    coord = district.coord
    keys = {r[0] for r in coord.store.db.execute("SELECT local_id FROM students").fetchall()}
    bea, rosa, ana = "lincoln-ms:S1001", "lincoln-ms:S1003", "cedar-hollow-hs:S1003"
    assert {bea, rosa, ana} <= keys
    sweeps.log(coord, {"place": "Hallway", "students": [bea], "sent_to": "Back to class"})
    peace_room.check_in(coord, {"student": ana, "reason": "Cool down"})
    cico.enrol(coord, rosa)
    today = coord.clock.today()
    rng = stats_service.DateRange(today, today)

    def totals(school):
        stats = stats_service.compute(coord, rng, school)
        return {key: stats.table(key).total for key in ("sweep_place", "sweep_sent", "peace_reason")} | {
            "cico": len(stats.table("cico").rows)}

    assert totals("lincoln-ms") == {"sweep_place": 1, "sweep_sent": 1, "peace_reason": 0, "cico": 1}
    assert totals("cedar-hollow-hs") == {"sweep_place": 0, "sweep_sent": 0, "peace_reason": 1, "cico": 0}
    assert totals(None) == {"sweep_place": 1, "sweep_sent": 1, "peace_reason": 1, "cico": 1}


async def test_the_board_of_a_district_database_shows_one_school_at_a_time(district):
    """Processes of two schools on the coordinator's board: S shows each school's in turn, then all."""
    from textual.widgets import DataTable

    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.processes import ProcessBoard

    coord = district.coord
    schools = dict(coord.store.db.execute("SELECT record_id, school FROM record_schools "
                                          "WHERE record_type = 'referral'").fetchall())
    started = {}
    for short in ("cedar-hollow-hs", "lincoln-ms"):
        ref_id = next(r for r, s in schools.items() if s == short)
        started[short] = svc.start_from_referral(coord, ref_id).id
    svc.hold_meeting(coord, started["lincoln-ms"], reason="all ready", agreement_reached=True)
    p = svc.add_item(coord, started["lincoln-ms"], what="Say sorry", owner=coord.store.get(
        svc.Process, started["lincoln-ms"]).parties[0].id, due=coord.clock.today())

    app = AdvocateApp(coord, coordinator=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProcessBoard)
        board, due = screen.query_one("#board", DataTable), screen.query_one("#board-due", DataTable)
        keys = lambda table: {r.value for r in table.rows}  # noqa: E731
        assert keys(board) == set(started.values()) and len(keys(due)) == 1
        shown = []
        for _ in range(3):
            await pilot.press("S")
            await pilot.pause()
            shown.append((screen.school, keys(board), len(keys(due)),
                          "· " + (screen.school or "every school") in str(screen.query_one("#board-title").render())))
        assert shown == [("cedar-hollow-hs", {started["cedar-hollow-hs"]}, 0, True),
                         ("lincoln-ms", {started["lincoln-ms"]}, 1, True),
                         (None, set(started.values()), 1, True)]
    assert p.items[0].what == "Say sorry"
