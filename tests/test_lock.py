"""The idle lock: hides every student detail, keeps the open form, opens with the right PIN only,
and makes wrong PINs wait longer each time."""

from __future__ import annotations

import html
import re
import time

from conftest import ROSTER
from forms_helpers import SIZE, open_form, screen_text, type_text
from main_seed import screen_text as main_screen_text

from advocate_tui.models import ContactNote
from advocate_tui.screens.forms import ContactForm
from advocate_tui.screens.lock import LockScreen
from advocate_tui.services import recording, security

PIN = "2468"
NOTE = "upset about the cafeteria seating"
#: what must never be on a locked screen
SECRETS = [s.family_name for s in ROSTER] + [s.given_name for s in ROSTER] + ["S1004", "cafeteria", "fire drill"]


def rendered(app) -> str:
    """The text of the rendered terminal (the screenshot's SVG without its markup)."""
    svg = app.export_screenshot()
    svg = re.sub(r"<style.*?</style>", "", svg, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def _visible_text(app) -> str:
    """Everything a passer-by could read: the rendered screen and the widgets' text."""
    return rendered(app) + "\n" + screen_text(app)


def _assert_nothing_secret(app) -> None:
    text = _visible_text(app)
    for secret in SECRETS:
        assert secret not in text, secret


async def _open_contact_form_with_text(pilot):
    await open_form(pilot, "c", ContactForm)
    await type_text(pilot, "S1004")
    await pilot.press("enter")
    await pilot.press("c", "h", "enter")  # "ch" is Check-in ("c" alone also starts Coaching, Caregiver)
    await type_text(pilot, NOTE)
    return pilot.app.screen


async def test_ctrl_l_hides_everything_and_the_open_form_survives(desk, make_app):
    security.set_pin(desk, PIN)
    recording.save(desk, "contact", {"student": "S1003", "contact_kind": "check_in", "note": "fire drill worries"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_contact_form_with_text(pilot)
        assert "Lindqvist" in _visible_text(app)  # the form shows the student before the lock
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert desk.profile.school.name in rendered(app)
        _assert_nothing_secret(app)
        # the lock is a full screen: the form below it is not drawn at all
        assert "Contact note" not in rendered(app) and app.screen_stack[-2] is form
        # the command palette can't be opened over the lock
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        _assert_nothing_secret(app)
        # a wrong PIN keeps it locked
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "Wrong entry" in rendered(app)
        _assert_nothing_secret(app)
        # after the wait, the right PIN opens it, onto the form as it was
        app.screen.unlocker.wait_until = 0
        app.screen._show_wait()
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert NOTE in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    notes = [n.note for n in desk.store.on_day(ContactNote, "2026-11-23")]
    assert NOTE in notes


async def test_idle_time_locks_and_activity_keeps_it_open(desk, make_app):
    security.set_pin(desk, PIN)
    app = make_app()
    limit = desk.profile.idle_lock_minutes * 60
    async with app.run_test(size=SIZE) as pilot:
        app.last_activity = time.monotonic() - (limit - 5)
        await pilot.press("1")  # a key press counts as activity
        app.check_idle_lock()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)
        app.last_activity = time.monotonic() - (limit + 1)
        app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        _assert_nothing_secret(app)
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)


async def test_notifications_do_not_show_on_the_lock(desk, make_app):
    security.set_pin(desk, PIN)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.notify("Contact note saved: Marcus Lindqvist")
        await pilot.pause()
        app.action_lock()
        await pilot.pause()
        app.notify("Referral saved for Priya Ramanathan")
        await pilot.pause()
        _assert_nothing_secret(app)


async def test_wrong_pins_wait_longer_each_time(desk, make_app):
    security.set_pin(desk, PIN)
    now = [1000.0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lock = LockScreen(clock=lambda: now[0])
        app.push_screen(lock)
        await pilot.pause()
        waits = []
        for _ in range(4):
            await type_text(pilot, "9999")
            await pilot.press("enter")
            await pilot.pause()
            waits.append(lock.unlocker.wait_left())
            # while the wait runs, even the right PIN is refused (the field is disabled)
            assert lock.query_one("#lock-secret").disabled
            assert not lock.unlocker.try_unlock(PIN)
            now[0] += waits[-1]
            lock._show_wait()
            await pilot.pause()
        assert waits == sorted(waits) and waits[0] < waits[-1]
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not lock


def test_pin_is_stored_only_as_a_salted_hash(desk):
    security.set_pin(desk, PIN)
    stored = {k: desk.store.get_meta(k) for k in (security.PIN_HASH_KEY, security.PIN_SALT_KEY)}
    # hex of a salt and a hash, never the PIN ("PIN not in" the hex failed when the digits came up in it)
    assert all(value != PIN and len(bytes.fromhex(value)) >= 16 for value in stored.values())
    assert security.verify_pin(desk, PIN) and not security.verify_pin(desk, "2469")
    first_hash = stored[security.PIN_HASH_KEY]
    security.set_pin(desk, PIN)  # a fresh salt each time: the same PIN hashes differently
    assert desk.store.get_meta(security.PIN_HASH_KEY) != first_hash


def test_passphrase_and_pin_rules():
    import pytest

    for bad in ("", "short", "       "):
        with pytest.raises(security.SecretError):
            security.check_passphrase(bad)
    assert security.check_passphrase("correct horse")
    for bad in ("", "123", "12 34"):
        with pytest.raises(security.SecretError):
            security.check_pin(bad)
    assert [security.delay_after(n) for n in range(1, 5)] == [1.0, 2.0, 4.0, 8.0]
    assert security.delay_after(100) == security.MAX_DELAY


async def test_setting_a_pin_in_the_app_asks_for_the_passphrase_first(profile, clock, tmp_path):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.desk import Desk
    from advocate_tui.screens.unlock_setup import PinSetupScreen

    passphrase = "correct horse battery"
    desk = Desk.open(tmp_path / "enc.db", profile, clock=clock, passphrase=passphrase)
    app = AdvocateApp(desk)
    try:
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(PinSetupScreen())
            await pilot.pause()
            for text in ("not the passphrase", "1357", "1357"):
                await type_text(pilot, text)
                await pilot.press("enter")
            await pilot.pause()
            assert "not the desk passphrase" in rendered(app)
            assert not security.has_pin(desk)
            for field in app.screen.query("Input"):
                field.value = ""
            app.screen.query_one("#pin-passphrase").focus()
            for text in (passphrase, "1357", "1357"):
                await type_text(pilot, text)
                await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, PinSetupScreen)
        assert security.verify_pin(desk, "1357")
    finally:
        desk.close()


async def test_the_palette_locks_and_opens_the_pin_setup(desk, make_app):
    from advocate_tui.screens.unlock_setup import PinSetupScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "idle-lock PIN")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PinSetupScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await type_text(pilot, "Lock now")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)


async def test_the_lock_asks_for_the_passphrase_by_name_when_no_pin_is_set(profile, clock, tmp_path):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.desk import Desk

    desk = Desk.open(tmp_path / "enc.db", profile, clock=clock, passphrase="correct horse battery")
    try:
        async with AdvocateApp(desk).run_test(size=SIZE) as pilot:
            pilot.app.action_lock()
            await pilot.pause()
            assert pilot.app.screen.query_one("#lock-secret").placeholder == "passphrase"
            assert "passphrase" in rendered(pilot.app)
        security.set_pin(desk, PIN)
        async with AdvocateApp(desk).run_test(size=SIZE) as pilot:
            pilot.app.action_lock()
            await pilot.pause()
            assert pilot.app.screen.query_one("#lock-secret").placeholder == "PIN"
    finally:
        desk.close()


async def test_a_desk_started_locked_makes_nothing_until_unlocked(desk, make_app):
    """``advocate serve`` starts every browser's desk with ``--locked``: the lock comes first, the main
    screen (and every student name) only after the PIN; a wrong PIN waits as usual."""
    from advocate_tui.screens.main import MainScreen

    security.set_pin(desk, PIN)
    recording.save(desk, "contact", {"student": "S1004", "contact_kind": "check_in", "note": "fire drill worries"})
    app = make_app(locked=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert not any(isinstance(s, MainScreen) for s in app.screen_stack)  # not even made underneath
        _assert_nothing_secret(app)
        await pilot.press("ctrl+p")  # no palette, no quit past the lock
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "1357")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen) and app.screen.unlocker.wait_left() > 0
        assert app.screen.query_one("#lock-secret").disabled
        _assert_nothing_secret(app)
        app.screen.unlocker.wait_until = 0  # the wait is over
        app.screen._show_wait()
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(5):
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Marcus L" in main_screen_text(app)  # the contact pane, once unlocked


async def test_wrong_pins_at_one_desk_make_every_desk_wait(desk, make_app):
    """A new tab (a new desk process on the same file) starts with the wait the wrong tries earned."""
    security.set_pin(desk, PIN)
    now = [5000.0]
    first = security.Unlocker(desk, clock=lambda: now[0])
    for _ in range(3):
        assert not first.try_unlock("0000")
        now[0] += first.wait_left()
    assert first.failures == 3 and first.wait_left() == 0 and not first.try_unlock("0000")
    fresh = security.Unlocker(reopen_desk(desk), clock=lambda: now[0])
    assert fresh.failures == 4 and fresh.wait_left() == security.delay_after(4)
    assert not fresh.try_unlock(PIN)  # refused unchecked while the wait runs
    now[0] += fresh.wait_left()
    assert not fresh.try_unlock("1111")
    assert fresh.failures == 5 and fresh.wait_left() == security.delay_after(5)
    assert first.wait_left() == security.delay_after(5)  # and the first desk sees the new wait
    now[0] += fresh.wait_left()
    assert fresh.try_unlock(PIN)
    assert security.Unlocker(desk, clock=lambda: now[0]).wait_left() == 0  # the right PIN clears the count
    # a stamp from a clock far ahead never makes a wait longer than its rule
    desk.store.set_meta(security.FAILED_AT_KEY, repr(now[0] + 10**9))
    desk.store.set_meta(security.FAILURES_KEY, "2")
    assert security.Unlocker(desk, clock=lambda: now[0]).wait_left() == security.delay_after(2)
    # a quarter of an hour after the last wrong try, the count starts again
    desk.store.set_meta(security.FAILED_AT_KEY, repr(now[0]))
    desk.store.set_meta(security.FAILURES_KEY, "6")
    now[0] += security.FORGET_AFTER + 1
    later = security.Unlocker(desk, clock=lambda: now[0])
    assert later.failures == 0 and not later.try_unlock("0000") and later.wait_left() == security.delay_after(1)


def reopen_desk(desk):
    """A second desk process's view of the same database file."""
    from advocate_tui.desk import Desk

    return Desk.open(desk.store.path, desk.profile, clock=desk.clock)
