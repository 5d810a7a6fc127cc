"""The main screen, driven by keys on a real database file: panes, header counts, focus, help, palette."""

from __future__ import annotations

import pendulum
import pytest

from advocate_tui.commands import KEYS
from advocate_tui.messages import RecordsChanged
from advocate_tui.models import ContactKind, ContactNote, DoorCheck, DoorStatus, Incident, Referral
from advocate_tui.services.today import PANES

from conftest import reopen
from forms_helpers import burst
from main_seed import at, screen_text, seed_day


@pytest.fixture
def ids(desk):
    return seed_day(desk.store)


def pane_keys(app, name):
    return [r.key for r in app.screen.query_one(f"#{name}").rows]


async def test_panes_show_todays_items_and_carried_over(make_app, ids):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        incidents = app.screen.query_one("#incidents").rows
        assert [r.key for r in incidents] == [ids["tardy"], ids["fight"], ids["old_incident"]]
        assert [r.carried for r in incidents] == [False, False, True]
        assert ids["voided"] not in pane_keys(app, "incidents")
        fight = incidents[1]
        assert fight.students == "Ana Garcia (R), Zo Okafor (H)" and fight.time == "09:12"
        assert "follow-up due today" in incidents[2].status
        assert pane_keys(app, "contacts") == [ids["call"], ids["note"]]
        attendance = app.screen.query_one("#attendance").rows
        assert [(r.key, r.carried) for r in attendance] == [(ids["attendance"], False), (ids["old_attendance"], True)]
        referrals = app.screen.query_one("#referrals").rows
        assert [(r.key, r.carried) for r in referrals] == [(ids["referral"], False), (ids["old_referral"], True)]
        checklist = app.screen.query_one("#checklist").rows
        doors = [r for r in checklist if r.kind == "door"]
        assert [d.door for d in doors][0] == "Gym east" and doors[0].alert
        assert {d.door for d in doors} == set(app.desk.profile.doors)
        assert any(r.key == ids["round"] and "1 issue" in r.status for r in checklist)
        text = screen_text(app)
        assert "↩ 11/20" in text and "Marcus Lindqvist" in text and "Propped open" in text


async def test_header_counts_match_the_database(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        counts = app.screen.query_one("#status").counts
        open_refs = [r for r in desk.store.select(Referral) if r.status.value != "closed"]
        assert counts.open_referrals == len(open_refs) == 2
        assert counts.attendance_due == 2
        checked = {c.door for c in desk.store.on_day(DoorCheck, "2026-11-23")}
        assert counts.doors_unchecked == len(desk.profile.doors) - len(checked) == 4
        assert counts.door_exceptions == 1
        assert counts.patrol.status == "overdue"  # last round 09:30, interval 60 min, now 10:45
        text = screen_text(app)
        for phrase in ("Cedar Hollow High School", "P4 · 10:45", "4 doors to check", "patrol overdue",
                       "2 to hand off · 2 referrals open", "2 attendance due"):
            assert phrase in text


async def test_header_clock_ticks_from_the_school_clock(make_app, desk, clock, ids):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        clock.advance(minutes=20)
        app.screen.tick()
        await pilot.pause()
        assert "Lunch · 11:35" not in screen_text(app)
        assert "P4 · 11:05" in screen_text(app)


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_number_keys_focus_their_pane(make_app, ids, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for number, name in reversed(list(enumerate(PANES, start=1))):
            await pilot.press(str(number))
            await pilot.pause()
            assert app.focused is not None and app.focused.id == f"{name}-table"
            assert app.screen.active == name
            assert app.screen.query_one(f"#{name}").has_class("-active")


async def test_help_lists_every_key(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 64)) as pilot:  # the whole list on one screen (it scrolls on a smaller one)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        text = screen_text(app)
        for key in KEYS:
            if not key.action.startswith("focus_pane"):
                assert key.help in text, key.help
        assert "1-5" in text and "ctrl+s" in text and "ctrl+p" in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_footer_shows_the_keys(make_app, ids):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for word in ("Incident", "Note", "Attend", "Refer", "Door", "Patrol", "Find", "Help", "Amend",
                     "Void", "Handoff", "Lock", "Quit", "palette"):
            assert word in text


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_a_click_on_a_footer_key_does_what_the_key_does(make_app, ids, size):
    """The footer is one widget drawing every key (bench/: a start no longer makes a widget per key):
    a click on a key's words presses the key, on one line and on the two-line footer, the palette's
    key too; the key under the mouse shows its tooltip."""
    from advocate_tui.screens.shift_footer import ShiftFooter

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(ShiftFooter)
        where = {key.description: region for region, key in footer.placed()}
        assert where["Incident"].y == size[1] - (2 if size[0] < 120 else 1)
        note = where["Note"]
        await pilot.hover(offset=(note.x + 2, note.y))
        await pilot.pause()
        assert footer.tooltip is not None and "note" in str(footer.tooltip).lower()
        await pilot.click(offset=(note.right - 1, note.y))
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactForm"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        palette = where["palette"]
        await pilot.click(offset=(palette.right - 2, palette.y))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_palette_finds_actions_and_a_student(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"door check")
        await pilot.pause(0.3)
        assert "Door check (next unchecked door first)" in screen_text(app)
        for _ in range(10):
            await pilot.press("backspace")
        await pilot.press(*"okaf")
        await pilot.pause(0.3)
        assert "Zo Okafor" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen" and app.screen.student_id == "S1003"


async def test_palette_runs_an_action(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"focus pane 5")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.active == "referrals"


async def test_every_action_is_bound_at_80x24(make_app, ids):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-compact")
        active = {b.action for _k, b, enabled, _t in app.screen.active_bindings.values() if enabled}
        assert {k.action for k in KEYS} - {"end_item"} <= active
        await pilot.press("4")  # o is bound (and in the footer) while the row has something to end
        await pilot.pause()
        active = {b.action for _k, b, enabled, _t in app.screen.active_bindings.values() if enabled}
        assert "end_item" in active and "o Done" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        # the four panes not in use are one-line summaries, with their counts
        text = screen_text(app)
        assert "4/7 doors to check" in text and "2 Doors & patrol · patrol overdue" in text
        assert "5 Referrals · 1 today · 1 carried over" in text
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("slash")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentSearch"


async def test_saved_record_shows_selected_and_void_hides_it(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        note = desk.store.add(ContactNote(student_id="S1004", at=at("2026-11-23 10:44"),
                                          contact_kind=ContactKind.CHECK_IN, note="Came by to say sorry"))
        app.screen.post_message(RecordsChanged(note))
        await pilot.pause()
        assert app.screen.active == "contacts"
        assert app.screen.query_one("#contacts").current_key() == note.id
        desk.store.amend(note.model_copy(update={"note": "Came by to apologise"}))
        desk.store.void(Incident, ids["tardy"], "duplicate")
        app.screen.reload()
        rows = {r.key: r for r in app.screen.query_one("#contacts").rows}
        assert "amended" in rows[note.id].status
        assert ids["tardy"] not in pane_keys(app, "incidents")


async def test_door_exception_stays_red_until_a_later_check(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        door = next(r for r in app.screen.query_one("#checklist").rows if r.door == "Gym east")
        assert door.alert
        desk.store.add(DoorCheck(door="Gym east", checked_at=at("2026-11-23 10:44"), status=DoorStatus.SECURE))
        app.screen.reload()
        door = next(r for r in app.screen.query_one("#checklist").rows if r.door == "Gym east")
        assert not door.alert and door.status.startswith("Secure")
        assert app.screen.query_one("#status").counts.door_exceptions == 0


async def test_midday_shift_resets_the_doors_to_check(make_app, desk, clock, ids):
    clock.set("2026-11-23 12:05")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        counts = app.screen.query_one("#status").counts
        assert counts.shift == "midday" and counts.doors_unchecked == len(desk.profile.doors)
        assert counts.door_exceptions == 1  # still red: no later check cleared it


async def test_restart_shows_the_same_items(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        before = {name: pane_keys(app, name) for name in PANES}
    fresh = reopen(desk)
    try:
        from advocate_tui.app import AdvocateApp

        app2 = AdvocateApp(fresh)
        async with app2.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert {name: pane_keys(app2, name) for name in PANES} == before
    finally:
        fresh.close()


async def test_next_day_carries_over_open_items(make_app, desk, clock, ids):
    clock.set(pendulum.datetime(2026, 11, 24, 8, 0, tz="America/Chicago"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        refs = app.screen.query_one("#referrals").rows
        assert {r.key for r in refs} == {ids["referral"], ids["old_referral"]} and all(r.carried for r in refs)
        assert pane_keys(app, "contacts") == [ids["call"]]  # its follow-up is due today
        assert ids["attendance"] in pane_keys(app, "attendance")
        incidents = app.screen.query_one("#incidents").rows
        assert [r.key for r in incidents] == [ids["old_incident"]]  # its follow-up was due yesterday
        assert "follow-up overdue" in incidents[0].status


async def type_keys(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)
    await pilot.pause()


async def test_after_a_form_saves_the_new_row_is_selected(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")  # start somewhere else: the save brings the incidents pane forward
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "IncidentForm"
        await type_keys(pilot, "marc")
        await pilot.press("enter", "r", "enter")
        await type_keys(pilot, "de")
        await pilot.press("enter")
        await type_keys(pilot, "refused to move")
        await pilot.press("enter", "c", "l", "enter")  # location: Classroom (never guessed)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        saved = next(i for i in desk.store.on_day(Incident, "2026-11-23") if i.description == "refused to move")
        pane = app.screen.query_one("#incidents")
        assert pane.current_key() == saved.id and app.screen.active == "incidents"
        assert app.focused is pane.table
        assert pane.current_row().students == "Marcus Lindqvist (R)"
        assert "Marcus L" in screen_text(app)  # (the short name, on two lines if it must)


async def test_void_by_keys_hides_the_row_and_amend_marks_it(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.query_one("#incidents").current_key() == ids["tardy"]
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "VoidForm"
        await type_keys(pilot, "logged twice")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ids["tardy"] not in pane_keys(app, "incidents")
        assert desk.store.get(Incident, ids["tardy"]).voided
        # the cursor is on the hallway incident now; amend its note
        assert app.screen.query_one("#incidents").current_key() == ids["fight"]
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "IncidentForm"
        app.screen._fields["description"].widget.value = "Name-calling at the lockers, both apologised"
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = next(r for r in app.screen.query_one("#incidents").rows if r.key == ids["fight"])
        assert "amended" in row.status and desk.store.get(Incident, ids["fight"]).amended


async def test_enter_opens_the_item_with_its_history(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ItemScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen" and app.screen.active == "referrals"


async def test_r_on_an_incident_is_a_new_empty_referral_and_R_refers_from_it(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "down")
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReferralForm"
        assert app.screen.values()["students"] == [] and "incident_id" not in app.screen.hidden
        assert app.screen._fields["students"].has_focus_within              # the cursor on the first field
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReferralForm"
        assert app.screen.hidden.get("incident_id") == ids["fight"]


async def test_click_on_a_collapsed_pane_opens_it_at_80x24(make_app, ids):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#referrals")
        await pilot.pause()
        assert app.screen.active == "referrals"
        assert app.focused is app.screen.query_one("#referrals").table
        assert "5 Referrals" in screen_text(app) and "Counselor" in screen_text(app)


async def test_q_quits_from_the_main_screen(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 or not app.is_running


async def test_a_terminal_made_small_collapses_the_panes_to_their_summaries(make_app, desk, ids):
    """Started large (no pane collapsed), then made small: the four panes not in use show their one-line
    summaries with their counts, and follow a save; large again, the full panes are back."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert "5 Referrals · 1 today" not in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(app)
        assert app.screen.has_class("-compact")
        assert "2 Doors & patrol · patrol overdue" in text and "5 Referrals · 1 today · 1 carried over" in text
        assert "3 Contact notes · 2 today" in text
        note = desk.store.add(ContactNote(student_id="S1004", at=at("2026-11-23 10:44"),
                                          contact_kind=ContactKind.CHECK_IN, note="Came by to say sorry"))
        app.screen.post_message(RecordsChanged(note))
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert "3 Contact notes · 3 today" in screen_text(app)
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert "3 Contact notes · 3 today" not in screen_text(app) and "Came by to say sorry" in screen_text(app)


async def test_resizing_keeps_a_typed_form(make_app, ids):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await type_keys(pilot, "zo")
        await pilot.press("enter")
        await type_keys(pilot, "r")
        await pilot.press("tab")
        await type_keys(pilot, "talked it through")
        before = app.screen.values()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactForm" and app.screen.values() == before
        assert before["student"] == "S1003"


async def test_alerts_follow_the_theme(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.theme = "gruvbox"
        await pilot.pause()
        pane = app.screen.query_one("#checklist")
        index = next(i for i, r in enumerate(pane.rows) if r.door == "Gym east")
        cell = pane.table.get_row_at(index)[-1]
        assert app.theme_variables["error"].lower() in str(cell.style).lower()


async def test_the_screen_behind_the_panes_follows_the_theme(make_app, ids):
    """The main screen keeps its own background lines between frames: after a theme change they are
    drawn in the new theme's colour, as Textual draws them afresh."""
    from textual.screen import Screen

    def drawn(strips):
        return [[(s.text, s.style) for s in strip] for strip in strips]

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen, region = app.screen, app.screen.size.region
        before = drawn(screen.render_lines(region))
        app.theme = "gruvbox"
        await pilot.pause()
        kept = drawn(screen.render_lines(region))
        screen._styles_cache.clear()
        assert kept == drawn(Screen.render_lines(screen, region)) and kept != before


@pytest.mark.parametrize("size", [(80, 24), (112, 40)], ids=["80x24", "112x40"])
async def test_footer_shows_help_at_80x24(make_app, ids, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("4")  # an open attendance follow-up: o (Done) is offered too
        await pilot.pause()
        footer = "\n".join(screen_text(app).splitlines()[-2:])
        for _ in range(50):  # a loaded machine may not have painted the footer yet: wait up to 5 s
            if "palette" in footer:
                break
            await pilot.pause(0.1)
            footer = "\n".join(screen_text(app).splitlines()[-2:])
        # every key of the footer shows in full, at 80 columns too (the keys wrap onto two lines);
        # R (refer from it) only on an incident or contact note, and not in a two-line footer
        for key in (k for k in KEYS if k.show and k.action != "referral_from"):
            assert f"{key.label} {key.short}" in footer, key.short
        assert "palette" in footer and "R From" not in footer
        await pilot.press("1")
        await pilot.pause()
        footer = "\n".join(screen_text(app).splitlines()[-2:])
        assert "? Help" in footer and "palette" in footer and "R From" not in footer
        await pilot.press("R")                         # it still works
        await pilot.pause()
        assert type(app.screen).__name__ == "ReferralForm" and app.screen.hidden.get("incident_id")


async def test_door_check_by_keys_updates_the_checklist_and_header(make_app, desk, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#status").counts.doors_unchecked == 4
        await pilot.press("d")  # the next unchecked door: Gym west (profile order)
        await pilot.pause()
        assert type(app.screen).__name__ == "DoorCheckForm"
        await pilot.press("p")  # propped open: asks for a note
        await type_keys(pilot, "wedged with a doorstop")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # saved; an incident is offered (n), enter closes
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        [check] = [c for c in desk.store.on_day(DoorCheck, "2026-11-23") if c.door == "Gym west"]
        assert check.status is DoorStatus.PROPPED_OPEN
        counts = app.screen.query_one("#status").counts
        assert counts.doors_unchecked == 3 and counts.door_exceptions == 2
        row = next(r for r in app.screen.query_one("#checklist").rows if r.door == "Gym west")
        assert row.alert and "Propped open" in row.status
        assert app.screen.active == "checklist"


async def test_every_key_opens_its_screen_at_80x24(make_app, ids):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        for key in KEYS:
            if key.action.startswith("focus_pane") or key.action == "quit_app":
                continue
            await pilot.press("4" if key.action == "end_item" else "1")  # o: on a row with something to end
            await pilot.pause()
            await pilot.press(key.key)
            await pilot.pause()
            assert app.screen is not main, f"{key.label} ({key.help}) opened nothing"
            while app.screen is not main:
                app.pop_screen()
                await pilot.pause()


async def test_a_round_under_way_heads_the_checklist(make_app, desk, ids):
    from advocate_tui.models import CheckpointVisit, PatrolRound

    rnd = desk.store.add(PatrolRound(zone="Grounds", started_at=at("2026-11-23 10:40"),
                                     checkpoints=[CheckpointVisit(checkpoint="Bus loop", reached_at=at("2026-11-23 10:42"))]))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        first = app.screen.query_one("#checklist").rows[0]
        assert first.key == rnd.id and first.status == "in progress 1/4"
        assert not any(r.kind == "patrol_due" for r in app.screen.query_one("#checklist").rows)
        assert "patrol in progress" in screen_text(app)


@pytest.mark.parametrize("round_on", [False, True], ids=["patrol-due", "round-under-way"])
async def test_80x24_header_and_checklist_line_fit(make_app, desk, ids, round_on):
    from advocate_tui.models import PatrolRound

    if round_on:
        desk.store.add(PatrolRound(zone="Grounds", started_at=at("2026-11-23 10:40")))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = "\n".join(lines[:2])
        assert desk.profile.school.name in header  # the school's whole name, not "Cedar"
        assert "…" not in header
        for word in ("doors", "ref", "att. due"):
            assert word in header
        if round_on:
            assert "patrol on" in header
        checklist = next(line for line in lines if line.strip().startswith("2 Doors & patrol"))
        assert "…" not in checklist
        assert ("patrol on" if round_on else "patrol overdue 10:30") in checklist
        assert "doors to check" in checklist and "1 exception" in checklist


async def test_header_and_pane_5_count_referrals_the_same_way(make_app, desk, ids):
    """"to hand off" = still new (what H will hand over); "open" = not closed — header and pane 5 agree."""
    from advocate_tui.models import ReferralStatus

    ref = desk.store.select(Referral)[0]
    desk.store.set_status(ref.model_copy(update={"status": ReferralStatus.HANDED_OFF}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "1 to hand off · 2 ref open" in text  # header (short forms at 80 columns)
        assert "5 Referrals" in text and "1 to hand off · 2 open" in text  # pane 5's collapsed line
    async with make_app().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert "1 to hand off · 2 referrals open" in screen_text(pilot.app)


async def test_a_new_database_at_80x24_names_every_pane(make_app, desk):
    """Nothing saved yet: the four collapsed panes still show "N Title · nothing today" (not blank)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for line in ("3 Contact notes · nothing today", "4 Attendance · nothing today",
                     "5 Referrals · nothing today"):
            assert line in text
        assert "2 Doors & patrol · " in text
        await pilot.press("3")
        await pilot.pause()
        assert "1 Incidents · nothing today" in screen_text(app)


async def test_a_second_desk_s_save_shows_here_within_seconds(make_app, desk, ids, profile, clock):
    """Two desks on one file: what the other desk saves appears on this screen without any key."""
    from advocate_tui.desk import Desk

    other = Desk.open(desk.store.path, profile, clock=clock)
    app = make_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            assert "Walked in upset" not in screen_text(app)
            note = other.store.add(ContactNote(student_id="S1004", at=at("2026-11-23 10:44"),
                                               contact_kind=ContactKind.CHECK_IN, note="Walked in upset"))
            for _ in range(25):  # the screen looks for other desks' saves every ~2 s
                await pilot.pause(0.25)
                if note.id in pane_keys(app, "contacts"):
                    break
            assert note.id in pane_keys(app, "contacts")
            await pilot.pause()
            assert "Check-in · Walked in" in screen_text(app)
    finally:
        other.close()


async def test_demo_due_dates_fall_on_school_days(profile, clock, tmp_path):
    """The demo school never shows "overdue Sun": follow-ups are due Monday to Friday."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.demo import build_demo
    from advocate_tui.desk import Desk
    from advocate_tui.models import AttendanceFollowUp

    desk = Desk.open(tmp_path / "demo.db", profile, clock=clock, demo=True)
    try:
        build_demo(desk.store, profile, clock)
        dues = [f.due_date for f in desk.store.select(AttendanceFollowUp) if f.due_date]
        dues += [n.follow_up_date for n in desk.store.select(ContactNote) if n.follow_up_date]
        dues += [i.follow_up_date for i in desk.store.select(Incident) if i.follow_up_date]
        assert dues and all(d.weekday() < 5 for d in dues)
        async with AdvocateApp(desk).run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            for name in ("attendance", "contacts", "incidents"):
                for row in pilot.app.screen.query_one(f"#{name}").rows:
                    assert "Sat" not in row.status and "Sun" not in row.status, row.status
    finally:
        desk.close()


async def test_wide_screens_show_the_bell_period_of_today_s_times(make_app, desk, ids):
    """At 120+ columns today's rows read "P2 · 09:12" (the school's bell period); at 80 just "09:12"."""
    incident = next(i for i in desk.store.on_day(Incident, "2026-11-23") if not i.voided)
    label = desk.clock.label(incident.occurred_at)
    hhmm = desk.clock.local(incident.occurred_at).format("HH:mm")
    assert label.startswith("P") and label.endswith(hhmm)
    async with make_app().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = pilot.app.screen.query_one("#incidents")
        index = next(i for i, r in enumerate(pane.rows) if r.key == incident.id)
        assert str(pane.table.get_row_at(index)[0]) == label
        assert label in screen_text(pilot.app)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = pilot.app.screen.query_one("#incidents")
        index = next(i for i, r in enumerate(pane.rows) if r.key == incident.id)
        assert str(pane.table.get_row_at(index)[0]) == hhmm
        assert label not in screen_text(pilot.app)


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_arrows_typed_straight_after_a_pane_key_move_in_that_pane(make_app, ids, size):
    """3, 1, down, down typed at once: the arrows move in the incidents (the pane just chosen, even
    when it was collapsed), not in the contact notes left behind; enter then opens the third."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        third = pane_keys(app, "incidents")[2]
        await burst(pilot, "3", "1", "down", "down")
        assert app.screen.query_one("#contacts-table").cursor_row == 0
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ItemScreen" and app.screen.record.id == third


def table_order(pane) -> list[str]:
    """The rows' keys in the order the pane's table draws them."""
    return [row.key.value for row in pane.table.ordered_rows]


async def quick_log(pilot, who: str, note: str, when: str = "") -> None:
    """i, a student, role r, behaviour 'de', the note, location Classroom, the time typed, ctrl+s."""
    await pilot.press("i")
    await pilot.pause()
    await type_keys(pilot, who)
    await pilot.press("enter", "r", "enter")
    await type_keys(pilot, "de")
    await pilot.press("enter")
    await type_keys(pilot, note)
    await pilot.press("enter", "c", "l", "enter")
    await type_keys(pilot, when)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_saved_incident_goes_into_its_place_without_filling_the_pane_again(make_app, desk, ids):
    """The quick log's row is put into the incidents pane where a fresh read would put it (today's
    by time, newest first, before the carried-over ones), with the cursor on it; the rows already
    drawn are kept as they are (not filled again); and a later read of the pane agrees."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents")
        assert table_order(pane) == [ids["tardy"], ids["fight"], ids["old_incident"]]
        drawn = {key: pane.table.get_row(key)[2] for key in table_order(pane)}  # the cells' Text objects

        await quick_log(pilot, "marc", "walked out of class", "9:50")  # between the fight and the tardy
        assert type(app.screen).__name__ == "MainScreen"
        between = next(i for i in desk.store.on_day(Incident, "2026-11-23") if i.description == "walked out of class")
        assert table_order(pane) == [ids["tardy"], between.id, ids["fight"], ids["old_incident"]]
        assert [r.key for r in pane.rows] == table_order(pane)
        assert pane.current_key() == between.id and app.focused is pane.table
        assert all(pane.table.get_row(key)[2] is cell for key, cell in drawn.items()), "the pane was filled again"

        await quick_log(pilot, "ana", "threw a chair")  # now (10:45): the newest, at the top
        newest = next(i for i in desk.store.on_day(Incident, "2026-11-23") if i.description == "threw a chair")
        assert table_order(pane)[:2] == [newest.id, ids["tardy"]] and pane.current_key() == newest.id
        assert "Ana Garcia (R)" in screen_text(app) and "Marcus Lindqvist (R)" in screen_text(app)

        app.screen.reload()  # a fresh read of everything shows the same rows in the same order
        await pilot.pause()
        assert table_order(pane) == [newest.id, ids["tardy"], between.id, ids["fight"], ids["old_incident"]]
        assert [r.key for r in pane.rows] == table_order(pane)


async def test_after_a_quick_log_the_panes_are_not_all_read_again(make_app, desk, ids, monkeypatch):
    """A quick log saves one incident and its row goes in at once: the five panes are not read again
    behind it (on a decade that read kept the next keys typed waiting ~0.2 s); a save that changed more
    than its own record still reads them."""
    from advocate_tui.services import today

    reads = []
    load = today.load
    monkeypatch.setattr(today, "load", lambda d: reads.append(1) or load(d))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        reads.clear()
        await quick_log(pilot, "ana", "threw a chair")
        await pilot.pause(0.5)
        newest = next(i for i in desk.store.on_day(Incident, "2026-11-23") if i.description == "threw a chair")
        assert app.screen.query_one("#incidents").current_key() == newest.id
        assert reads == [], "every pane was read again after a quick log"
        # a form that saved something besides its record (here: a note saved in the meantime) reads again
        await pilot.press("i")
        await pilot.pause()
        desk.store.add(ContactNote(student_id="S1004", at=at("2026-11-23 10:05"), contact_kind=ContactKind.CHECK_IN,
                                   note="Came by after lunch"))
        await type_keys(pilot, "marc")
        await pilot.press("enter", "r", "enter")
        await type_keys(pilot, "de")
        await pilot.press("enter")
        await type_keys(pilot, "walked out")
        await pilot.press("enter", "c", "l", "enter", "ctrl+s")
        await pilot.pause(0.5)
        assert reads, "a save that changed more than its record did not read the panes again"
        assert "Came by after lunch" in screen_text(app)


async def test_a_saved_note_shows_and_another_desk_s_save_still_shows(make_app, desk, ids, profile, clock):
    """A note saved here goes into the contacts pane at once; one saved by a second desk on the same
    file still shows within seconds, in its place by time."""
    from advocate_tui.desk import Desk

    other = Desk.open(desk.store.path, profile, clock=clock)
    app = make_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            pane = app.screen.query_one("#contacts")
            app.screen.open_form("contact_note")
            await pilot.pause()
            await type_keys(pilot, "ana")
            await pilot.press("enter", "enter")
            app.screen._fields["note"].widget.value = "Checked in after the fight"
            await pilot.press("ctrl+s")
            await pilot.pause()
            mine = next(n for n in desk.store.on_day(ContactNote, "2026-11-23") if n.note == "Checked in after the fight")
            assert table_order(pane) == [mine.id, ids["call"], ids["note"]] and pane.current_key() == mine.id
            theirs = other.store.add(ContactNote(student_id="S1004", at=at("2026-11-23 10:00"),
                                                 contact_kind=ContactKind.CHECK_IN, note="Walked in upset"))
            for _ in range(25):  # the screen looks for other desks' saves every ~2 s
                await pilot.pause(0.25)
                if theirs.id in table_order(pane):
                    break
            assert table_order(pane) == [mine.id, ids["call"], theirs.id, ids["note"]]
    finally:
        other.close()


async def test_screens_opened_and_closed_leave_no_footer_keys_behind(make_app, ids):
    """Memory over a day: the main screen's footer makes its keys again each time it comes back; the
    old keys are let go (every key ever made stayed alive: 2,068 after a day at decade scale)."""
    import gc

    from textual.widgets._footer import FooterKey

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, FooterKey) for o in gc.get_objects())

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()

        async def open_and_close(times: int) -> None:
            for _ in range(times):
                await pilot.press("i")
                await pilot.pause()
                assert type(app.screen).__name__ == "IncidentForm"
                await pilot.press("escape")
                await pilot.pause()
                assert type(app.screen).__name__ == "MainScreen"

        await open_and_close(1)
        after_one = alive()
        await open_and_close(4)
        assert alive() <= after_one


async def test_a_saved_incident_in_a_full_pane_pushes_its_last_row_out(make_app, desk, ids, monkeypatch):
    """A pane shows at most a page of rows: the new row goes in and the last one goes, as a read does."""
    from advocate_tui.services import rows

    monkeypatch.setattr(rows, "PAGE", 3)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents")
        assert table_order(pane) == [ids["tardy"], ids["fight"], ids["old_incident"]]
        await quick_log(pilot, "ana", "threw a chair")
        newest = next(i for i in desk.store.on_day(Incident, "2026-11-23") if i.description == "threw a chair")
        assert table_order(pane) == [newest.id, ids["tardy"], ids["fight"]] == [r.key for r in pane.rows]
        assert pane.current_key() == newest.id  # (the carried-over row's columns went with it: refitted)
        app.screen.reload()
        await pilot.pause()
        assert table_order(pane) == [newest.id, ids["tardy"], ids["fight"]]


async def test_the_footer_key_under_the_mouse_follows_the_keys_when_they_move(make_app, ids):
    """The mouse rests on a footer key, then the keys change under it (focus moves to the doors pane:
    R and o go, every key after them moves left): the key highlighted and the tooltip shown are the
    ones under the mouse now, the key a click there presses, not the key that moved away."""
    from advocate_tui.screens.shift_footer import ShiftFooter

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(ShiftFooter)
        where = {key.description: region for region, key in footer.placed()}
        assert "From" in where  # R is offered on the incident row
        handoff = where["Handoff"]
        mouse = (handoff.right - 1, handoff.y)
        await pilot.hover(offset=mouse)
        await pilot.pause()
        assert "hand" in str(footer.tooltip).lower()
        await pilot.press("2")  # the doors pane: R goes, the keys after it move left
        await pilot.pause()
        under = next(key for region, key in footer.placed() if region.contains(*mouse))
        assert under.description != "Handoff"
        assert footer._hover == under
        assert footer.tooltip == (under.tooltip or None)


def box_bottom(app, pane) -> str:
    """The bottom line of a pane's box as painted (where its summary is written)."""
    region = pane.region
    line = app.screen._compositor.render_strips()[region.bottom - 1].text
    return line[region.x:region.right]


async def test_after_a_quick_log_the_box_under_the_incidents_counts_it(make_app, desk, ids):
    """The summary under the incidents box follows the saved row at once ("2 today" → "3 today"),
    and the rest of the box is drawn as before."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents")
        before = box_bottom(app, pane)
        assert "2 today" in before
        await quick_log(pilot, "marc", "walked out of class", "9:50")
        after = box_bottom(app, pane)
        assert "3 today" in after and "2 today" not in after
        assert after.replace("3 today", "2 today") == before  # the same box, one count more
        top = app.screen._compositor.render_strips()[pane.region.y].text[pane.region.x:pane.region.right]
        assert "1 Incidents" in top
