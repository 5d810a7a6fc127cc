"""The coordinator's data screen and the roster import screen, driven by keys on the demo school.

The numbers on screen are checked against counts computed straight from the database file.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import stat

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import Incident
from advocate_tui.screens.data import DataScreen
from advocate_tui.screens.roster_import import RosterImportScreen


@pytest.fixture
def demo(demo_file, tmp_path, profile, clock):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    d = Desk.open(path, profile, clock=clock)
    d.extras["export_dir"] = str(tmp_path / "exports")
    yield d
    d.close()


def sql(desk, query, params=()):
    with sqlite3.connect(desk.store.path) as conn:
        return conn.execute(query, params).fetchall()


def shown_rows(app) -> dict[str, int]:
    grid = app.screen.query_one("#data-table", DataTable)
    return {str(grid.get_row_at(i)[0]): int(str(grid.get_row_at(i)[1])) for i in range(grid.row_count)}


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_data(app, pilot):
    await pilot.pause()
    await pilot.press("D")
    await settle(app, pilot)
    assert isinstance(app.screen, DataScreen)


async def test_D_opens_the_big_five_for_the_school_year(demo):
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_data(app, pilot)
        year = "day BETWEEN '2026-08-17' AND '2027-06-04' AND voided = 0"   # the profile's school year
        expected = dict(sql(demo, f"SELECT behavior, count(*) FROM incidents WHERE {year} GROUP BY behavior"))
        assert shown_rows(app) == expected
        total = sql(demo, f"SELECT count(*) FROM incidents WHERE {year}")[0][0]
        headline = str(app.screen.query_one("#data-headline", Static).render())
        assert f"{total} incident{'s' * (total != 1)} (" in headline and "school year 2026–27" in headline
        # ↓ to the locations, then to referrals by destination
        await pilot.press("down")
        await pilot.pause()
        assert shown_rows(app) == dict(sql(demo, f"SELECT location, count(*) FROM incidents WHERE {year} GROUP BY location"))
        sections = app.screen.query_one("#data-sections", OptionList)
        keys = [sections.get_option_at_index(i).id for i in range(sections.option_count)]
        for _ in range(keys.index("ref_destination") - 1):
            await pilot.press("down")
        await pilot.pause()
        assert shown_rows(app) == dict(sql(demo, "SELECT destination, count(*) FROM referrals WHERE "
                                                 f"{year} GROUP BY destination"))


async def test_school_days_come_from_the_calendar_and_the_year_from_the_profile(demo):
    """The demo's calendar: 17 Aug 2026 to 4 Jun 2027. Its desk has records from Mon 26 Oct; today is
    Mon 23 Nov. School days: 26-30 Oct (5) and the weekdays 2-23 Nov (16), so 21, not 1 Aug to today."""
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_data(app, pilot)
        headline = str(app.screen.query_one("#data-headline", Static).render())
        assert "school year 2026–27 (2026-08-17 – 2027-06-04)" in headline
        assert "21 school days" in headline
        await pilot.press("m")
        await settle(app, pilot)
        assert "16 school days" in str(app.screen.query_one("#data-headline", Static).render())
        await pilot.press("w")
        await settle(app, pilot)
        assert "1 school day ·" in str(app.screen.query_one("#data-headline", Static).render())
    demo.clock.set("2026-11-27 12:00")                   # the Thanksgiving break: Wed 25 is the last school day
    async with AdvocateApp(demo).run_test(size=(120, 36)) as pilot:
        await open_data(pilot.app, pilot)
        await pilot.press("w")
        await settle(pilot.app, pilot)
        assert "3 school days" in str(pilot.app.screen.query_one("#data-headline", Static).render())


async def test_range_keys_change_the_numbers(demo):
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_data(app, pilot)
        for key, start, end in (("t", "2026-11-23", "2026-11-23"), ("w", "2026-11-23", "2026-11-29"),
                                ("m", "2026-11-01", "2026-11-30")):
            await pilot.press(key)
            await settle(app, pilot)
            expected = dict(sql(demo, "SELECT behavior, count(*) FROM incidents WHERE day BETWEEN ? AND ? "
                                      "AND voided = 0 GROUP BY behavior", (start, end)))
            assert shown_rows(app) == expected, key
            total = sum(expected.values())
            assert f"{total} incident{'s' * (total != 1)} (" in str(app.screen.query_one("#data-headline", Static).render())
        await pilot.press("a")
        await settle(app, pilot)
        assert sum(shown_rows(app).values()) == sql(demo, "SELECT count(*) FROM incidents WHERE voided = 0")[0][0]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DataScreen)


async def test_e_exports_the_shown_table_safely(demo, tmp_path, clock):
    demo.store.add(Incident(occurred_at=clock.now(), location="=HYPERLINK(\"http://x\")", behavior="Defiance"))
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_data(app, pilot)
        await pilot.press("down")  # incidents by location
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        files = list((tmp_path / "exports").glob("location-*.csv"))
        assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
        rows = list(csv.reader(files[0].read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0] == ["location", "count"]
        assert {r[0]: int(r[1]) for r in rows[1:]} == {
            ("'" + k if k.startswith("=") else k): v for k, v in shown_rows(app).items()}
        assert ["'=HYPERLINK(\"http://x\")", "1"] in rows
        assert "Exported" in str(app.screen.query_one("#data-message", Static).render())


async def test_data_and_roster_import_from_the_command_palette(demo, tmp_path):
    roster = tmp_path / "students.csv"
    roster.write_text("student_id,given_name,family_name,grade\nS9001,Ilse,Brenner,9\nS9002,Tariq,Haddad,10\n",
                      encoding="utf-8")
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "import the roster":
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RosterImportScreen)
        app.screen.query_one("#roster-path", Input).value = str(roster)
        await pilot.press("space")  # the partial box is not focused: the path gets a trailing space, trimmed
        app.screen.query_one("#roster-partial").value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        summary = str(app.screen.query_one("#roster-summary", Static).render())
        assert "added 2" in summary and "Ilse" not in summary
        assert {s.local_id for s in demo.store.find_students("Brenner")} == {"S9001"}
        assert demo.store.count_students() == 602  # partial: nobody deactivated
        # a file that can't be read: one line, nothing written
        app.screen.query_one("#roster-path", Input).value = str(tmp_path / "missing.csv")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Nothing was imported" in str(app.screen.query_one("#roster-message", Static).render())
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "coordinator's data":
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DataScreen)


async def test_D_from_the_coordinators_view(demo):
    app = AdvocateApp(demo, coordinator=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, DataScreen)
        status = dict(sql(demo, "SELECT status, count(*) FROM referrals WHERE voided = 0 AND day BETWEEN "
                                "'2026-08-01' AND '2027-07-31' GROUP BY status"))
        sections = app.screen.query_one("#data-sections", OptionList)
        keys = [sections.get_option_at_index(i).id for i in range(sections.option_count)]
        for _ in range(keys.index("ref_status")):
            await pilot.press("down")
        await pilot.pause()
        from advocate_tui.models import ReferralStatus

        assert shown_rows(app) == {ReferralStatus(k).label: n for k, n in status.items()}
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CoordinatorScreen"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_table_shows_at_small_and_large_sizes(demo, size):
    app = AdvocateApp(demo)
    async with app.run_test(size=size) as pilot:
        await open_data(app, pilot)
        sections = app.screen.query_one("#data-sections", OptionList)
        for key in "twmya":
            await pilot.press(key)
            await settle(app, pilot)
            for index in range(sections.option_count):
                sections.highlighted = index
                await pilot.pause()
                table = app.screen.stats.tables[index]
                grid = app.screen.query_one("#data-table", DataTable)
                assert grid.row_count == len(table.rows)
        assert app.return_code is None and isinstance(app.screen, DataScreen)  # never stopped by an error


async def test_enter_on_a_top_student_opens_their_page(demo):
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_data(app, pilot)
        sections = app.screen.query_one("#data-sections", OptionList)
        keys = [sections.get_option_at_index(i).id for i in range(sections.option_count)]
        sections.highlighted = keys.index("students")
        await pilot.pause()
        top = app.screen.stats.table("students").keys[0]
        await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "StudentScreen"
        assert getattr(app.screen, "student_id", top) == top


async def test_a_database_error_is_one_line_not_a_crash(demo, monkeypatch):
    from advocate_tui.services import stats as stats_service
    from advocate_tui.store import StoreError

    def busy(desk, rng):
        raise StoreError("the database is busy: database is locked; try again")

    monkeypatch.setattr(stats_service, "compute", busy)
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_data(app, pilot)
        headline = app.screen.query_one("#data-headline", Static)
        assert "Could not count: the database is busy" in str(headline.render()) and headline.has_class("-error")
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_numbers_are_never_cut_at_80x24(demo):
    """At 80x24 every table shows its counts in full ("18", not "1"); only long labels are shortened."""
    import re

    app = AdvocateApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_data(app, pilot)
        sections = app.screen.query_one("#data-sections", OptionList)
        for index in range(sections.option_count):
            sections.highlighted = index
            await pilot.pause()
            table = app.screen.stats.tables[index]
            if not table.rows:
                continue
            label, count = table.rows[0]
            number = str(count) if not isinstance(count, float) else f"{count:g}"
            text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            assert re.search(rf"{re.escape(str(label)[:6])}[^│]*\s{re.escape(number)}\s", text), (table.title, number)


async def test_the_chart_is_blank_while_the_counts_are_read_then_shows_the_bars(demo, monkeypatch):
    """While the worker counts, the headline says so and the chart area is empty (no empty axes drawn: an
    empty plotext canvas costs as much as a full one, in the screen's first frame); then the bars come."""
    import threading

    from textual.geometry import Region

    from advocate_tui.screens import data as data_screen
    from advocate_tui.screens.data import BarChart

    go = threading.Event()
    real = data_screen.stats_service.compute

    def slow(*args, **kwargs):
        go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(data_screen.stats_service, "compute", slow)

    def chart_text(chart) -> str:
        return "".join(strip.text for strip in chart.render_lines(Region(0, 0, chart.size.width, chart.size.height)))

    app = AdvocateApp(demo)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await pilot.pause()
        chart = app.screen.query_one(BarChart)
        assert "Counting" in str(app.screen.query_one("#data-headline", Static).render())
        assert chart.size.width >= BarChart.MIN_WIDTH and chart_text(chart).strip() == ""
        go.set()
        await settle(app, pilot)
        assert chart.bars and chart_text(chart).strip()
        assert any(label[:6] in chart_text(chart) for label, _n in chart.bars)
