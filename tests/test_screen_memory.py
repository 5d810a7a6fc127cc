"""Memory: a closed screen is let go (a day's use at decade scale kept every data screen opened, with
its charts and tables, alive: the worker that counted for it stayed referenced from its pool thread)."""

from __future__ import annotations

import gc
import shutil
import weakref

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.screens.data import DataScreen
from advocate_tui.screens.main import MainScreen


@pytest.fixture
def demo(demo_file, tmp_path, profile, clock):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    d = Desk.open(path, profile, clock=clock)
    yield d
    d.close()


async def test_a_closed_data_screen_is_let_go(demo):
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataScreen) and screen.stats is not None  # counted, in its worker
        gone = weakref.ref(screen)
        del screen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        gc.collect()
        assert gone() is None, "the closed data screen is still alive"


async def _closed_screen_is_gone(app, pilot, gone: weakref.ref) -> None:
    await pilot.press("escape")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)
    gc.collect()
    assert gone() is None, "the closed screen is still alive"


async def test_a_closed_handoff_review_is_let_go_after_signing(demo):
    """Signing runs in a worker thread: the closed review (its tables, the day's referrals) must not stay."""
    from advocate_tui.screens.handoff import HandoffScreen

    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        await pilot.press("tab", *"JR", "enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Signed handoff" in str(screen.query_one("#handoff-result").render())
        gone = weakref.ref(screen)
        del screen
        await _closed_screen_is_gone(app, pilot, gone)


async def test_a_closed_roster_import_is_let_go(demo, tmp_path):
    """The import runs in a worker thread: the closed import screen must not stay alive."""
    from textual.widgets import Input

    from advocate_tui.screens.data_commands import open_roster_import
    from advocate_tui.screens.roster_import import RosterImportScreen

    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,given_name,family_name,grade\nS900001,Ann,Lee,09\n", encoding="utf-8")
    app = AdvocateApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RosterImportScreen)
        screen.query_one("#roster-path", Input).value = str(roster)
        screen.query_one("#roster-partial").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Imported" in str(screen.query_one("#roster-message").render())
        gone = weakref.ref(screen)
        del screen
        await _closed_screen_is_gone(app, pilot, gone)
