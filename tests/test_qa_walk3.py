"""What the third walk found, as a new advocate typing fast and as someone trying to break it, each
typed and read off the screen and checked in the database: keys typed in one burst behind a key that
opens a dialog or a form from a screen's own keys (a process page's h, a student page's a) were lost."""

from __future__ import annotations

from textual import events

from advocate_tui.models import Incident, Referral
from advocate_tui.models.process import Process
from advocate_tui.screens.process_detail import ProcessDetail
from advocate_tui.screens.process_dialogs import ProcessAsk
from advocate_tui.services import processes as svc

from main_seed import at, find, screen_text, seed_day


def burst(app, text: str) -> None:
    """Keys as a terminal delivers fast typing: all queued before any of them is handled."""
    for ch in text:
        app.post_message(events.Key({" ": "space"}.get(ch, ch), ch))


def conference(desk) -> Process:
    """A conference started from a referral: S1001 responsible, S1003 harmed."""
    incident = desk.store.add(Incident(
        occurred_at=at("2026-11-23T09:10"), location="Cafeteria", behavior="Physical aggression", level="major",
        students=[{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1003", "role": "harmed"}]))
    referral = desk.store.add(Referral(referred_at=at("2026-11-23T09:30"), students=["S1001", "S1003"],
                                       destination="Restorative coordinator", purpose="conference",
                                       reason="Push in the lunch line", incident_id=incident.id))
    return svc.start_from_referral(desk, referral.id)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def open_handoff(pilot) -> None:
    """H on the main screen, and the handoff review up."""
    from advocate_tui.screens.handoff import HandoffScreen

    await settle(pilot)
    await pilot.press("H")
    await until(pilot, lambda: isinstance(pilot.app.screen, HandoffScreen))


async def until(pilot, done, seconds: float = 5.0) -> None:
    """Let the app run until ``done()`` (the keys held for a screen go on once it has drawn)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            break
        await pilot.pause(0.05)
    await settle(pilot)


async def test_the_harmed_partys_wishes_typed_straight_after_h_land_in_the_dialog(make_app, desk):
    """On a process page, h then the wishes at once (one burst at a terminal): the page's own keys act only
    once a key has come back up from its table, and by then the keys behind h had been handed to that table
    too — under the dialog they acted on nothing and were lost ("XYZ qui" of "XYZ quick" gone, the rest
    landing late). Every key now reaches the dialog, in order, and enter saves the whole text."""
    process = conference(desk)
    harmed = next(p for p in process.parties if p.student_id == "S1003")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.push_screen(ProcessDetail(process.id))
        await settle(pilot)
        while app.screen._selected("party") != harmed.id:
            await pilot.press("down")
        burst(app, "hAn apology, in person; icky")      # i, k, p, c, y: keys of the page, had they acted there
        await until(pilot, lambda: isinstance(app.screen, ProcessAsk) and not app.__dict__.get("_held"))
        assert isinstance(app.screen, ProcessAsk)
        assert app.screen.values()["wishes"] == "An apology, in person; icky"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProcessDetail)
    saved = desk.store.get(Process, process.id)
    assert saved.party(harmed.id).wishes == "An apology, in person; icky"
    assert saved.items == [] and saved.parties[0].acknowledges == process.parties[0].acknowledges


async def test_a_follow_up_typed_straight_after_a_on_a_students_page_is_kept(make_app, desk):
    """On a student's page, a then the kind at once ("aear" in one burst): the page's a acts only once it has
    come back up from the page's table, and "ear", handed to that table meanwhile, was lost under the form
    (Kind still "type to choose": enter then took the first kind, a tardy). It now reaches the form: enter
    takes Early departure, and ctrl+s saves the follow-up for that student."""
    from advocate_tui.models import AttendanceFollowUp
    from advocate_tui.screens.student import StudentScreen

    seed_day(desk.store)
    before = {f.id for f in desk.store.select(AttendanceFollowUp)}
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await find(pilot, "okaf")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StudentScreen))
        burst(app, "aear")
        await until(pilot, lambda: not isinstance(app.screen, StudentScreen) and not app.__dict__.get("_held"))
        await pilot.press("enter", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StudentScreen))
        assert isinstance(app.screen, StudentScreen)
    new = [f for f in desk.store.select(AttendanceFollowUp) if f.id not in before]
    assert [(f.student_id, f.attendance_kind.value) for f in new] == [("S1003", "early_departure")]


async def test_escape_or_quit_on_a_check_out_card_with_scores_typed_asks_first(make_app, desk, clock):
    """The CICO check-out card, four cells scored, then escape: the card closed and the scores were gone,
    without a question (every other form asks first), and ctrl+q quit the app with them as silently. Now
    escape asks, n keeps the card with its scores, y discards; quit asks too; a card with nothing typed
    still closes at once."""
    from advocate_tui.models.cico import CicoDay
    from advocate_tui.screens.cico import CicoCardScreen, CicoScreen
    from advocate_tui.screens.forms.confirm import ConfirmScreen
    from advocate_tui.services import cico

    enrolment = cico.enrol(desk, "S1005", periods=["P1", "P2"], on=clock.today())
    clock.set("2026-11-23 15:15")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, CicoScreen))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, CicoCardScreen))
        await pilot.press("escape")                       # nothing typed: closes at once
        await until(pilot, lambda: isinstance(app.screen, CicoScreen))
        assert isinstance(app.screen, CicoScreen)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, CicoCardScreen))
        card = app.screen
        await pilot.press("2", "1", "2", "0")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is card and "5 of 8 points" in str(card.query_one("#card-total").render())
        await app.action_quit()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is card
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, CicoScreen))
        assert isinstance(app.screen, CicoScreen)
    assert desk.store.select(CicoDay) == []  # nothing saved


async def test_quitting_with_a_handoff_summary_typed_asks_first(make_app, desk):
    """H, a summary of the shift typed, then ctrl+q (a slip at the day's end): the app quit at once and the
    summary (kept only while the app runs) was gone. Quitting now asks first, and n stays with the summary."""
    from advocate_tui.screens.forms.confirm import ConfirmScreen

    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_handoff(pilot)
        screen = app.screen
        await pilot.press(*"Quiet day", "ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and screen.query_one("#handoff-summary").text == "Quiet day"


async def test_a_coordinators_question_shows_its_whole_title_at_80_columns(make_app, desk):
    """At 80x24 the coordinator's d on a referral of two students read "Decline the referral of Łukasz
    Dvořák, Alejandro Ramírez (Mediat" — the rest of whose referral it was cut off, with no sign of it (c's
    "… with an outcome" went the same way). The title wraps inside the dialog instead."""
    from advocate_tui.screens.coordinator_dialogs import CoordinatorAsk

    title = "Close the referral of Łukasz Dvořák, Alejandro Ramírez (Mediation) with an outcome"
    app = make_app(coordinator=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CoordinatorAsk(title, [("note", "Note for the school", "")], outcomes=True))
        await settle(pilot)
        shown = " ".join(" ".join(line.strip(" █▀▄").split()) for line in screen_text(app).splitlines())
        assert title in shown


async def test_the_peace_rooms_count_of_one_visit_is_singular(desk, make_app):
    """One student in the Peace Room: the line on top said "1 in now · 1 visits today"."""
    from advocate_tui.screens.peace_room import PeaceRoomScreen
    from advocate_tui.services import peace_room

    peace_room.check_in(desk, {"student": "S1003", "reason": "Cool down"})
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await until(pilot, lambda: isinstance(app.screen, PeaceRoomScreen))
        title = str(app.screen.query_one("#room-title").render())
        assert "1 in now · 1 visit today · " in title


async def test_a_typo_corrected_fast_on_the_lock_screen_unlocks(make_app, desk):
    """On the lock screen, "unlocx", backspace, "k", enter in one burst (fast typing, or a browser desk's keys
    arriving together): backspace acted only once it had gone up to the app, after the k was in, so
    "unlocx" was tried — a wrong entry, and a wait before the next. The field's own keys now act in the
    order typed, and the desk opens."""
    from advocate_tui.screens.lock import LockScreen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LockScreen))
        for key, char in [*[(c, c) for c in "unlocx"], ("backspace", "\x7f"), ("k", "k"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await until(pilot, lambda: not isinstance(app.screen, LockScreen))
        assert not app.locked
    assert not int(desk.store.get_meta("lock.failures") or 0)  # no wrong entry counted


async def test_a_pin_corrected_fast_while_setting_it_is_the_pin_kept(make_app, desk):
    """Setting the idle-lock PIN, "1235", backspace, "4", enter, twice, typed fast: backspace acted after the 4
    was in, both times alike, so the PIN kept was "1235" — not the one the advocate typed, and the lock then
    refused "1234". The fields' editing keys now act in the order typed: the PIN is 1234."""
    from advocate_tui.screens.unlock_setup import PinSetupScreen
    from advocate_tui.services import security

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.push_screen(PinSetupScreen())
        await until(pilot, lambda: isinstance(app.screen, PinSetupScreen) and app.screen.focused is not None)
        keys = [("1", "1"), ("2", "2"), ("3", "3"), ("5", "5"), ("backspace", "\x7f"), ("4", "4"), ("enter", "\r")]
        for key, char in keys * 2:
            app.post_message(events.Key(key, char))
        await until(pilot, lambda: not isinstance(app.screen, PinSetupScreen))
        assert not isinstance(app.screen, PinSetupScreen)
    assert security.verify_pin(desk, "1234") and not security.verify_pin(desk, "1235")


async def test_initials_corrected_fast_are_the_ones_signed(make_app, desk):
    """The handoff's "Signed by", typed fast with a slip: "JX", backspace, "R", enter. Backspace acted after the
    R was in, and the sign-off (which can't be undone) would be signed "J". The field's editing keys now act
    in the order typed: the handoff is signed JR."""
    from advocate_tui.models import Handoff
    from advocate_tui.screens.forms.confirm import ConfirmScreen

    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_handoff(pilot)
        app.screen.query_one("#handoff-signer").focus()
        await settle(pilot)
        for key, char in [("J", "J"), ("X", "X"), ("backspace", "\x7f"), ("R", "R"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await settle(pilot)
    [handoff] = desk.store.select(Handoff)
    assert handoff.signed_by == "JR"
