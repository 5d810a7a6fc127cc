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
