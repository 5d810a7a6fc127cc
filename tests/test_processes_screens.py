"""Restorative processes by keys, as the coordinator and the advocate work them (the issue's done-when):
a harm from incident to referral to a process, a held conference with an agreement of three items (one
done late, one done, one not done), the harmed party told, closed — checked in the database, on the
board, in the advocate's due items and header, on the student page and in the report's figures against
counts taken from the database. Then the Tier 1 circle in ten keys or fewer, the board at 80×24, and
hostile text shown as typed."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import DataTable, Static

from advocate_tui.models import Incident, Referral
from advocate_tui.models.process import ClosingReason, ItemStatus, Process, Stage
from advocate_tui.screens.process_detail import ProcessDetail
from advocate_tui.screens.process_dialogs import ProcessAsk
from advocate_tui.screens.processes import ProcessBoard
from advocate_tui.services import processes as svc
from advocate_tui.services import process_lists
from advocate_tui.services import report as report_service
from advocate_tui.services import stats as stats_service
from hostile import MARKUP, rendered

TZ = "America/Chicago"
SIZE = (100, 32)


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ)


async def typed(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def harm(desk, reason: str = "Push in the lunch line") -> Referral:
    incident = desk.store.add(Incident(
        occurred_at=at("2026-11-23T09:10"), location="Cafeteria", behavior="Physical aggression", level="major",
        students=[{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1003", "role": "harmed"}]))
    return desk.store.add(Referral(referred_at=at("2026-11-23T09:30"), students=["S1001", "S1003"],
                                   destination="Restorative coordinator", purpose="conference", reason=reason,
                                   incident_id=incident.id))


def cells(table: DataTable) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def text_of(widget: Static) -> str:
    return str(widget.render())


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def test_a_harm_from_incident_to_a_closed_process_by_keys(make_app, desk):
    clock = desk.clock
    referral = harm(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # b: the board; s: start from the referral (1), the kind as the referral asks, a facilitator
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ProcessBoard)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ProcessAsk)
        await pilot.press("1", "enter")
        await typed(pilot, "Ms. Rivera")
        await pilot.press("enter")
        await settle(pilot)
        [process] = desk.store.select(Process)
        assert (process.referral_id, process.process_kind, process.facilitator) == (referral.id, "conference",
                                                                                      "Ms. Rivera")
        board = app.screen.query_one("#board", DataTable)
        assert any("Referred" in row and "Ana Garcia (responsible)" in row for row in cells(board))

        # enter: the process; w 1 (willing), k 1 (acknowledges) for Ana; down, w 1 for Zo
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProcessDetail)
        await pilot.press("w", "1")
        await settle(pilot)
        await pilot.press("k", "1")
        await settle(pilot)
        await pilot.press("down", "w", "1")
        await settle(pilot)
        process = desk.store.get(Process, process.id)
        assert [(p.willing.value, p.acknowledges) for p in process.parties][0] == ("yes", "yes")
        assert process_lists.missing_for_meeting(desk, process) == []

        # M: held, agreement reached (1), 45 minutes; i three times: the agreement's items
        await pilot.press("M", "1")
        await typed(pilot, "45")
        await pilot.press("enter")
        await settle(pilot)
        for what, due in (("Apologise to Zo", "11/24"), ("Help at lunch", "11/27"), ("See the counselor", "12/01")):
            await pilot.press("i", "1")
            await typed(pilot, what)
            await pilot.press("enter")
            await typed(pilot, due)
            await pilot.press("enter", "enter", "enter", "enter")
            await settle(pilot)
        process = desk.store.get(Process, process.id)
        assert [(i.what, i.due.isoformat()) for i in process.items] == [
            ("Apologise to Zo", "2026-11-24"), ("Help at lunch", "2026-11-27"), ("See the counselor", "2026-12-01")]
        assert process.stage is Stage.FOLLOWING and process.meetings[0].minutes == 45
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        # the advocate's days: each item marked from the main screen in two keys (b, then d or n)
        for day, key in (("2026-11-25 08:00", "d"), ("2026-11-27 09:00", "d"), ("2026-12-02 09:00", "n")):
            clock.set(day)
            app.screen.reload()
            await settle(pilot)
            header = text_of(app.screen.query_one("#status-counts-line")) + text_of(app.screen.query_one("#status-counts"))
            due_line = text_of(app.screen.query_one("#process-due"))
            due = process_lists.due_items(desk)
            assert len(due) == 1 and f"{len(due)} proc" in header and due[0].text in due_line
            assert ("OVERDUE" in due_line) == due[0].overdue
            await pilot.press("b", key)
            await settle(pilot)
            assert process_lists.due_items(desk) == []
            await pilot.press("escape")
            await settle(pilot)
        assert "proc" not in text_of(app.screen.query_one("#status-counts"))

        # the harmed party told (2: not completed, how), then closed (2: partly completed)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t", "2")
        await typed(pilot, "In person")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x", "2", "enter")
        await settle(pilot)
        process = desk.store.get(Process, process.id)
        assert process.closing_reason is ClosingReason.PARTLY_COMPLETED and process.harmed_told_completed is False
        assert [(i.status, i.done_late) for i in process.items] == [
            (ItemStatus.DONE, True), (ItemStatus.DONE, False), (ItemStatus.NOT_DONE, False)]
        await pilot.press("escape")
        await settle(pilot)
        assert any(row.startswith("Closed") for row in cells(app.screen.query_one("#board", DataTable)))
        await pilot.press("escape")
        await settle(pilot)

        # the student page: the process, Ana's role, no open items left
        from advocate_tui.screens.student import StudentScreen

        app.push_screen(StudentScreen("S1001"))
        await settle(pilot)
        shown = rendered(app)
        assert "Process · responsible" in shown and "Conference" in shown and "Closed" in shown

    # the history: each step one audit entry, in order
    notes = [e.note for e in desk.store.history(process.id)]
    assert notes[0] == "started: Conference" and notes[-1] == "closed: Agreement partly completed"
    assert notes.count("agreement item added") == 3 and "harmed party told" in notes

    # the report's figures against the database
    rng = stats_service.DateRange(pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30))
    tables = {t.key: t for t in stats_service.compute(desk, rng).tables}
    outcomes = dict(tables["proc_outcomes"].rows)
    db = desk.store.db
    assert outcomes["Referrals made"] == db.execute("SELECT count(*) FROM referrals").fetchone()[0] == 1
    assert outcomes["Referrals that became a meeting"] == db.execute(
        "SELECT count(*) FROM processes p WHERE referral_id IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM json_each(p.meetings) WHERE json_extract(value, '$.held'))").fetchone()[0] == 1
    assert outcomes["Agreements completed on time"] == 0 and outcomes["Agreements followed to their end"] == 1
    assert outcomes["Harmed parties told the outcome"] == db.execute(
        "SELECT count(*) FROM processes WHERE harmed_told_at IS NOT NULL").fetchone()[0] == 1
    assert dict(tables["proc_stage"].rows) == {"Closed": 1}
    markdown = report_service.report_markdown(desk, stats_service.compute(desk, rng))
    assert "| Referrals that became a meeting | <5 |" in markdown
    assert "Ana" not in markdown and "S1001" not in markdown


async def test_a_tier_one_circle_in_ten_keys_from_the_main_screen(make_app, desk):
    app = make_app()
    keys = ["b", "c", "1", "0", "1", "tab", "2", "4", "ctrl+s"]
    assert len(keys) <= 10
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        [circle] = desk.store.select(Process)
        assert (circle.group_name, circle.meetings[0].participants, circle.tier) == ("101", 24, 1)
        assert circle.stage is Stage.CLOSED and circle.facilitator == desk.user
        assert any("101, 24 took part" in row for row in cells(app.screen.query_one("#board", DataTable)))


async def test_the_circle_form_keeps_what_was_typed_and_says_what_is_wrong(make_app, desk):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b", "c", "tab")
        await typed(pilot, "lots")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "class or group" in text_of(app.screen.query_one("#pask-error"))
        await pilot.press("shift+tab")
        await typed(pilot, "H-204")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "whole number" in text_of(app.screen.query_one("#pask-error"))
        assert app.screen.query_one("#pask-participants").value == "lots"
        assert desk.store.select(Process) == []


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_board_and_a_process_fit_and_show_hostile_text_as_typed(make_app, desk, size):
    reason = MARKUP[0]
    referral = harm(desk, reason)
    process = svc.start_from_referral(desk, referral.id)
    zo = next(p for p in process.parties if p.student_id == "S1003")
    svc.update_party(desk, process.id, zo.id, wishes=MARKUP[5] + " \x1b[31m" + MARKUP[2])
    svc.hold_meeting(desk, process.id, reason=MARKUP[1], agreement_reached=True)
    svc.add_item(desk, process.id, what=MARKUP[6], owner=process.parties[0].id, due=pendulum.date(2026, 11, 23))
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert MARKUP[6][:10] in rendered(app)                      # the main screen's due line
        await pilot.press("b")
        await settle(pilot)
        screen = rendered(app)
        assert MARKUP[6][:10] in screen and "Due today: 1 (" not in screen
        table = app.screen.query_one("#board", DataTable)
        assert table.region.bottom <= size[1] and table.row_count == 1
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProcessDetail)
        shown = rendered(app)
        assert MARKUP[5] in shown and MARKUP[2] in shown            # the wishes, as typed
        assert MARKUP[1][:12] in shown                              # the reason the meeting was held anyway
        assert app.screen.query_one("#detail-rows", DataTable).region.bottom <= size[1]


async def test_holding_a_meeting_with_something_missing_asks_why_and_keeps_it(make_app, desk):
    referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ProcessDetail(process.id))
        await settle(pilot)
        await pilot.press("M", "2", "enter", "enter")               # no agreement; minutes and reason left empty
        await settle(pilot)
        assert "give a reason" in text_of(app.screen.query_one("#pask-error"))
        assert desk.store.get(Process, process.id).meetings == []
        await typed(pilot, "They asked to meet today")
        await pilot.press("enter")
        await settle(pilot)
    held = desk.store.get(Process, process.id).meetings[0]
    assert held.held and held.unsuitable_reason == "They asked to meet today"


async def test_a_partys_role_and_consent_are_changed_by_keys_and_kept_in_the_history(make_app, desk):
    referral = desk.store.add(Referral(referred_at=at("2026-11-23T09:30"), students=["S1004"],
                                       destination="Restorative coordinator", purpose="reentry_meeting",
                                       reason="Back after a suspension"))
    process = svc.start_from_referral(desk, referral.id)
    assert (process.process_kind, process.parties[0].role.value) == ("reentry", "both")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ProcessDetail(process.id))
        await settle(pilot)
        await pilot.press("r", "2")                                 # 2: responsible
        await settle(pilot)
        assert "Responsible" in rendered(app)
        await pilot.press("c", "2")                                 # 2: no sharing
        await settle(pilot)
        assert "Consent to share: no." in text_of(app.screen.query_one("#detail-message"))
    party = desk.store.get(Process, process.id).parties[0]
    assert party.role.value == "responsible" and party.consents_to_share is False
    assert [e.note for e in desk.store.history(process.id)][-2:] == ["party: role", "party: consents to share"]


async def test_the_coordinator_opens_the_board_with_b_and_starts_a_process(desk):
    from advocate_tui.app import AdvocateApp

    referral = harm(desk)
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ProcessBoard)
        await pilot.press("s", "1", "enter", "enter")
        await settle(pilot)
        [process] = desk.store.select(Process)
        assert process.referral_id == referral.id
        assert "Referred" in cells(app.screen.query_one("#board", DataTable))[0]
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "CoordinatorScreen"


async def test_the_data_screen_lists_the_process_figures_counted_from_the_database(make_app, desk):
    referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id)
    svc.hold_meeting(desk, process.id, reason="ready", agreement_reached=True)
    svc.log_circle(desk, group_name="H-101", participants=20)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        sections = app.screen.query_one("#data-sections")
        titles = [str(sections.get_option_at_index(i).prompt) for i in range(sections.option_count)]
        assert any("Restorative processes by stage" in t for t in titles)
        assert any("What came of restorative processes" in t for t in titles)
        stages = next(t for t in app.screen.stats.tables if t.key == "proc_stage")
        db = desk.store.db
        assert sum(n for _, n in stages.rows) == db.execute("SELECT count(*) FROM processes").fetchone()[0] == 2
        outcomes = dict(next(t for t in app.screen.stats.tables if t.key == "proc_outcomes").rows)
        assert outcomes["Referrals that became a meeting"] == 1
