"""The demo school shows the newer record kinds as an advocate would meet them on a Monday morning:
restorative processes on the board in each stage (a held conference whose agreement has an item due
today and one overdue, a mediation today, a Tier 1 circle), the due line on the main screen, hall
sweeps, today's Peace Room visits and CICO students with this week's points — each screen checked
against counts taken from the database. The UK demo's are there too, in its words."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import DataTable

from advocate_tui.app import AdvocateApp
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.profile import demo_profile
from conftest import FROZEN_AT


@pytest.fixture
def demo_desk(demo_file, tmp_path):
    profile = demo_profile()
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    desk = Desk.open(path, profile, clock=Clock.frozen(profile, FROZEN_AT), demo=True)
    yield desk
    desk.close()


def one(desk, sql: str, *params):
    return desk.store.db.execute(sql, params).fetchone()[0]


def rows(table: DataTable) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


def test_the_demo_has_processes_in_every_stage_and_a_followed_agreement(demo_desk):
    today = demo_desk.clock.today().isoformat()
    stages = one(demo_desk, "SELECT count(DISTINCT CASE WHEN closed_at IS NOT NULL THEN 'closed' "
                            "WHEN json_array_length(items) > 0 THEN 'following' "
                            "WHEN EXISTS (SELECT 1 FROM json_each(meetings) WHERE json_extract(value, '$.held') = 0) "
                            "THEN 'scheduled' ELSE 'open' END) FROM processes WHERE voided = 0")
    assert stages == 4
    # a held conference: agreement items open, one due today, one overdue, one done
    statuses = dict(demo_desk.store.db.execute(
        "SELECT CASE WHEN json_extract(i.value, '$.status') != 'open' THEN json_extract(i.value, '$.status') "
        "WHEN json_extract(i.value, '$.due') < ? THEN 'overdue' WHEN json_extract(i.value, '$.due') = ? "
        "THEN 'today' ELSE 'later' END, count(*) FROM processes AS p, json_each(p.items) AS i "
        "WHERE p.closed_at IS NULL GROUP BY 1", [today, today]).fetchall())
    assert statuses.get("overdue", 0) >= 1 and statuses.get("today", 0) >= 1 and statuses.get("done", 0) >= 1
    assert one(demo_desk, "SELECT count(*) FROM processes WHERE tier = 1 AND closed_at IS NOT NULL") >= 1
    assert one(demo_desk, "SELECT count(*) FROM processes WHERE harmed_told_at IS NOT NULL") >= 1
    # everything the demo wrote is audited and dated no later than now
    assert one(demo_desk, "SELECT count(*) FROM processes WHERE id NOT IN "
                          "(SELECT record_id FROM audit WHERE record_type = 'process')") == 0
    assert one(demo_desk, "SELECT max(at) FROM audit") <= demo_desk.clock.now().isoformat()


async def test_the_board_and_the_due_line_show_the_demo_processes(demo_desk):
    app = AdvocateApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        due = str(app.screen.query_one("#process-due").render())
        assert "OVERDUE" in due and "collect" in due
        await pilot.press("b")
        await settle(pilot)
        board = app.screen.query_one("#board", DataTable)
        assert board.row_count == one(demo_desk, "SELECT count(*) FROM processes WHERE voided = 0") >= 6
        shown = rows(board)
        for stage in ("Referred", "Assessing", "Preparing", "Scheduled", "Agreement", "Closed"):
            assert any(row.startswith(stage) for row in shown), (stage, shown)
        circle, group = demo_desk.store.db.execute("SELECT id, group_name FROM processes WHERE tier = 1").fetchone()
        row = shown[board.get_row_index(circle)]  # the Tier 1 circle: its class, no names
        assert row.startswith("Closed") and group.split()[0] in row
        due_rows = rows(app.screen.query_one("#board-due", DataTable))
        today = demo_desk.clock.today().isoformat()
        open_due = one(demo_desk, "SELECT count(*) FROM processes AS p, json_each(p.items) AS i WHERE p.closed_at IS NULL "
                                  "AND json_extract(i.value, '$.status') = 'open' AND json_extract(i.value, '$.due') <= ?",
                       today)
        meetings = one(demo_desk, "SELECT count(*) FROM processes AS p, json_each(p.meetings) AS m WHERE p.closed_at IS "
                                  "NULL AND json_extract(m.value, '$.held') = 0 AND substr(json_extract(m.value, '$.at'), "
                                  "1, 10) = ?", today)
        assert len(due_rows) == open_due + meetings >= 3
        assert any(row.startswith("OVERDUE") for row in due_rows)


async def test_the_peace_room_and_cico_screens_show_the_demo_day(demo_desk):
    today = demo_desk.clock.today().isoformat()
    visits = one(demo_desk, "SELECT count(*) FROM peace_room_visits WHERE voided = 0 AND day = ?", today)
    in_now = one(demo_desk, "SELECT count(*) FROM peace_room_visits WHERE voided = 0 AND time_out IS NULL")
    enrolled = one(demo_desk, "SELECT count(*) FROM cico_enrolments WHERE voided = 0 AND ended_on IS NULL")
    monday = demo_desk.clock.today()
    cards = one(demo_desk, "SELECT count(*) FROM cico_days WHERE voided = 0 AND date >= ?", monday.isoformat())
    assert visits >= 2 and in_now >= 1 and enrolled >= 2 and cards >= enrolled
    assert one(demo_desk, "SELECT count(*) FROM sweeps WHERE voided = 0") >= 5
    app = AdvocateApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        tables = list(app.screen.query(DataTable))
        assert sum(t.row_count for t in tables) == visits + in_now  # in the room now, and today's visits
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        cico = app.screen.query_one(DataTable)
        assert cico.row_count == enrolled
        shown = rows(cico)
        assert all("%" in row for row in shown)  # each with its goal and last two weeks' points
        assert sum("below" in row for row in shown) >= 1  # one slipping


def test_the_uk_demo_has_them_too_in_its_words(tmp_path):
    from advocate_tui.demo import build_demo
    from advocate_tui.services import processes as process_service
    from advocate_tui.store import Store

    profile = demo_profile(uk=True)
    clock = Clock.frozen(profile, FROZEN_AT)
    store = Store.open(tmp_path / "uk.db", tz=profile.school.timezone, now=clock.now)
    build_demo(store, profile, clock, students=120, weeks=2)
    desk = Desk(profile=profile, clock=clock, store=store, user=store.user)
    try:
        assert len(process_service.due_items(desk)) >= 3
        reasons = [r[0] for r in store.db.execute("SELECT reason FROM referrals WHERE id IN "
                                                  "(SELECT referral_id FROM processes)").fetchall()]
        assert reasons and any("pupil" in r for r in reasons) and not any("student" in r for r in reasons)
        assert store.db.execute("SELECT count(*) FROM cico_enrolments").fetchone()[0] >= 2
    finally:
        store.close()
