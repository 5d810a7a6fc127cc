"""The district coordinator's view by keys: two schools in one queue (each row names its school), the whole
handoff beside the referrals, filters by school, day and handoff; closing asks first, a closed referral
reopens with a reason, declining needs one; the cursor stays on the row; bundles picked from the handoff
folder; the reply written from the screen; and at 80×24 what the next step needs still shows."""

from __future__ import annotations

import shutil

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, Referral, ReferralOutcome, ReferralStatus
from advocate_tui.screens.coordinator import CoordinatorScreen
from advocate_tui.screens.coordinator_dialogs import BundlePicker, CloseConfirm, CoordinatorAsk
from advocate_tui.screens.shift_footer import ShiftFooter
from advocate_tui.services import bundle as bs
from advocate_tui.services import coordinator as co
from advocate_tui.services import handoff as hs
from district_helpers import district  # noqa: F401 - the fixture
from handoff_helpers import busy_day, trust_of
from main_seed import screen_text

WIDE, NARROW = (160, 48), (80, 24)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def row_key(screen) -> str:
    table = screen._table()
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


def column(table, label: str) -> list[str]:
    labels = [str(c.label) for c in table.columns.values()]
    return [str(table.get_row_at(i)[labels.index(label)]) for i in range(table.row_count)]


async def test_closing_asks_first_and_a_closed_referral_reopens_with_a_reason(district):
    desk = district.coord
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("down", "down")
        ref_id = row_key(screen)
        position = screen._table().cursor_row

        await pilot.press("c", "4", "enter")  # no further action: the question, not the close
        await pilot.pause()
        assert isinstance(app.screen, CloseConfirm)
        assert "Close the referral of" in screen_text(app) and "No further action" in screen_text(app)
        await pilot.press("enter")  # enter keeps it open (c, a digit, enter, enter closes nothing)
        await pilot.pause()
        assert app.screen is screen and desk.store.get(Referral, ref_id).status is ReferralStatus.HANDED_OFF
        assert "Not closed" in str(screen.query_one("#coordinator-message").content)

        await pilot.press("c", "4", "enter", "y")
        await pilot.pause()
        closed = desk.store.get(Referral, ref_id)
        assert closed.status is ReferralStatus.CLOSED and closed.outcome is ReferralOutcome.NO_FURTHER_ACTION
        assert row_key(screen) == ref_id and screen._table().cursor_row == position  # the cursor stays
        assert column(screen._table(), "Status")[position] == "Closed: No further action"

        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorAsk)
        await pilot.press("enter")  # a reopen needs its reason
        await pilot.pause()
        assert "say why it is reopened" in str(app.screen.query_one("#ask-error").content)
        await type_text(pilot, "Closed the wrong one")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and row_key(screen) == ref_id and screen._table().cursor_row == position
        assert "Reopened" in str(screen.query_one("#coordinator-detail").content)

    reopened = desk.store.get(Referral, ref_id)
    assert reopened.status is ReferralStatus.HANDED_OFF and reopened.outcome is None and reopened.closed_at is None
    notes = [e.note for e in desk.store.history(ref_id) if e.action is AuditAction.STATUS]
    assert notes == ["closed: No further action", "reopened: Closed the wrong one"]


async def test_declining_needs_a_reason_and_the_cursor_stays(district):
    desk = district.coord
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("down")
        ref_id = row_key(screen)
        await pilot.press("d", "enter")
        await pilot.pause()
        assert "say why it is declined" in str(app.screen.query_one("#ask-error").content)
        await type_text(pilot, "Handled by the school counselor")
        await pilot.press("enter")
        await pilot.pause()
        assert row_key(screen) == ref_id
        await pilot.press("a")  # a declined referral can't be accepted: the line says why
        await pilot.pause()
        assert "already closed (o reopens it)" in str(screen.query_one("#coordinator-message").content)
    declined = desk.store.get(Referral, ref_id)
    assert declined.outcome is ReferralOutcome.DECLINED and declined.outcome_note == "Handled by the school counselor"


async def test_two_schools_one_queue_each_row_names_its_school_and_filters_by_keys(district):
    desk = district.coord
    cedar_ids = {r.id for r in district.cedar_day["referrals"]}
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen._table()
        assert table.row_count == 6
        schools = dict(zip((table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(6)),
                           column(table, "School")))
        assert {k for k, s in schools.items() if s == "cedar-hollow-hs"} == cedar_ids
        assert "all 2 schools" in str(screen.query_one("#coordinator-title").content)
        await pilot.press("S")  # one school: cedar-hollow-hs
        await pilot.pause()
        assert {table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)} == cedar_ids
        assert "School" not in [str(c.label) for c in table.columns.values()]  # the title names it
        assert "1 Referrals — cedar-hollow-hs" in str(screen.query_one("#coordinator-title").content)
        await pilot.press("S")
        await pilot.pause()
        assert "lincoln-ms" in str(screen.query_one("#coordinator-title").content) and table.row_count == 3

        # the whole handoff: everything the bundle carries, for the school shown
        await pilot.press("2")
        await pilot.pause()
        day = screen._table()
        kinds = column(day, "Kind")
        assert {"Note", "Incident !", "Incident", "Attendance", "Door !", "Patrol !"} <= set(kinds)
        assert "Summary" not in kinds  # Lincoln's handoff had none
        await pilot.press("0")  # every school again
        await pilot.pause()
        kinds = column(day, "Kind")
        assert kinds.count("Summary") == 1 and kinds.count("Incident !") == 2 and kinds.count("Note") == 2
        assert set(column(day, "School")) == {"cedar-hollow-hs", "lincoln-ms"}
        day.move_cursor(row=kinds.index("Summary"))
        await pilot.pause()
        assert "Quiet morning; a fight in the gym" in str(screen.query_one("#coordinator-detail").content)
        await pilot.press("left_square_bracket")  # one day: the latest handoff day
        await pilot.pause()
        assert "2026-11-23" in str(screen.query_one("#coordinator-title").content)
        await pilot.press("h")  # one handoff at a time
        await pilot.pause()
        assert "handoff #1" in str(screen.query_one("#coordinator-title").content)
        assert 0 < day.row_count < len(kinds)
        await pilot.press("1")
        await pilot.pause()
        assert screen.view == "referrals" and screen._table().row_count == 3


async def test_import_picks_a_bundle_from_the_handoff_folder(desk, profile, clock, tmp_path):
    busy_day(desk)
    bundle = bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera"))[0]
    coord = Desk.open(tmp_path / "district" / "coord.db", profile, clock=clock, user="coordinator")
    inbox = tmp_path / "district" / "handoffs"
    inbox.mkdir()
    shutil.copy(bundle, inbox / bundle.name)
    (inbox / "notes.json").write_text('{"not": "a bundle"}', "utf-8")  # not a bundle: not offered
    try:
        app = AdvocateApp(coord, coordinator=True)
        async with app.run_test(size=NARROW) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, BundlePicker)
            text = screen_text(app)
            assert "NEW      cedar-hollow-hs · handoff 2026-11-23 #1" in text and "notes.json" not in text
            await pilot.press("enter")  # the first new one
            await pilot.pause()
            await pilot.press("y")  # trust the school's key (its fingerprint shown)
            await pilot.pause()
            assert app.screen._table().row_count == 3
            await pilot.press("i")
            await pilot.pause()
            assert "imported cedar-hollow-hs · handoff 2026-11-23 #1" in screen_text(app)
            await pilot.press("escape")
    finally:
        coord.close()


async def test_the_reply_is_written_from_the_screen(district):
    desk = district.coord
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("a", "down", "a")  # accept the two urgent referrals (one of each school)
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorAsk)
        assert "Reply to cedar-hollow-hs (1), lincoln-ms (1)" in screen_text(app)
        await type_text(pilot, "See you Tuesday")
        await pilot.press("enter")
        await pilot.pause()
        message = str(app.screen.query_one("#coordinator-message").content)
        assert "reply-cedar-hollow-hs-2026-11-23-1.json" in message and "reply-lincoln-ms-2026-11-23-1.json" in message
        # at 80 columns the file's name and how the school takes it both show
        assert "advocate handoff import FILE" in screen_text(app).replace("\n", " ")
    sent = desk.store.replies("sent")
    assert len(sent) == 2 and {r.note for r in sent} == {"See you Tuesday"}
    folder = bs.handoff_folder(desk)
    assert sorted(p.suffix for p in folder.glob("reply-*")) == [".json", ".json", ".md", ".md"]


async def test_at_80x24_the_next_step_names_and_every_key_show(district):
    desk = district.coord
    first = district.cedar_day["referrals"][0]
    co.schedule(desk, first.id, desk.clock.now().add(days=1).replace(hour=10, minute=15), "Room 114")
    co.assign(desk, first.id, "Ms Delacroix")
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen._table()
        labels = [str(c.label) for c in table.columns.values()]
        assert labels == ["Urg.", "School", "Students", "For", "Next step"]
        assert table.virtual_size.width <= table.size.width
        steps = dict(zip((table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)),
                         column(table, "Next step")))
        assert steps[first.id] == "Tue 10:15 Room 114 · Delacroix"  # the meeting, where, and who facilitates
        assert sorted(set(column(table, "School"))) == ["cedar", "lincoln"]  # enough to tell them apart
        names = column(table, "Students")
        assert "Ana G." in names and "Zo O. +1" in names  # short names, never one cut short
        assert not any(n.endswith("…") for n in names)
        footer = screen.query_one(ShiftFooter)
        for _ in range(50):  # a loaded machine may not have drawn the footer yet: wait up to 5 s
            if footer.placed():
                break
            await pilot.pause(0.1)
        keys = footer.placed()
        assert all(r.right <= 80 and r.y >= 22 for r, _key in keys)  # two lines, none off-screen
        descriptions = {key.description for _r, key in keys}
        assert {"Accept", "Schedule", "Decline", "Close", "Reply", "Import", "Help"} <= descriptions


async def test_the_coordinators_decision_shows_on_the_advocates_screen_within_seconds(desk, profile, clock):
    """One school, two desks on one file: no reply file, the advocate's pane shows the coordinator's word."""
    from main_seed import screen_text as shown

    day = busy_day(desk)
    hs.sign_off(desk, "J. Rivera")
    first = day["referrals"][0]
    coordinator = Desk.open(desk.store.path, profile, clock=clock, user="coordinator")  # the second desk
    app = AdvocateApp(desk)
    try:
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            pane = app.screen.query_one("#referrals")
            assert {r.key: r.status for r in pane.rows}[first.id] == "Handed off"
            co.schedule(coordinator, first.id, clock.at(clock.today(), __import__("datetime").time(13, 20)),
                        "Room 114")
            for _ in range(25):  # the main screen looks for other desks' saves every ~2 s
                await pilot.pause(0.25)
                if {r.key: r.status for r in pane.rows}[first.id] != "Handed off":
                    break
            assert {r.key: r.status for r in pane.rows}[first.id] == "Accepted · conference today 13:20, Room 114"
            assert pane.rows[0].kind == "meeting" and "from P6" in pane.rows[0].status
            assert pane.rows[0].students == "Ana Garcia (H-101)" and "(H-101)" in shown(app)  # who, and where to find them
    finally:
        coordinator.close()


async def test_a_dialog_typed_at_once_puts_each_answer_in_its_field(district):
    """The date, enter, the time, enter, the place, enter, as fast as a typist (or a paste): each answer in its
    own field (the time once landed in the date, the place in the time)."""
    from forms_helpers import burst

    desk = district.coord
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        ref_id = row_key(app.screen)
        await pilot.press("s")
        await pilot.pause()
        await burst(pilot, *"today", "enter", *"1:30pm", "enter", *"Room", "space", *"114", "enter")
        assert app.screen is not None and not isinstance(app.screen, CoordinatorAsk), screen_text(app)
    saved = desk.store.get(Referral, ref_id)
    assert desk.clock.local(saved.scheduled_for).format("YYYY-MM-DD HH:mm") == "2026-11-23 13:30"
    assert saved.place == "Room 114"


async def test_at_80x24_the_whole_handoff_names_schools_and_students_as_the_referrals_do(district):
    app = AdvocateApp(district.coord, coordinator=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        day = app.screen._table()
        assert set(column(day, "School")) == {"cedar", "lincoln"}  # not 'cedar-…' and 'lincol…'
        names = column(day, "Students")
        assert "Marcus L." in names and "Luca B." in names
        assert not any(n.endswith("…") for n in names)
