"""Snapshots of the main screen with the demo school's busy day, clock frozen (Monday 10:45, P4).

Update with: .venv/bin/python -m pytest tests/test_snapshots_main.py --snapshot-update
"""

from __future__ import annotations

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.demo import build_demo
from advocate_tui.desk import Desk


@pytest.fixture
def demo_app(profile, clock, tmp_path):
    desk = Desk.open(tmp_path / "demo.db", profile, clock=clock, demo=True)
    build_demo(desk.store, profile, clock)
    yield AdvocateApp(desk)
    desk.close()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size)


def test_main_screen_checklist_in_use_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["2"], terminal_size=(80, 24))


def test_help(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["question_mark"], terminal_size=(100, 32))


def test_student_page(snap_compare, demo_app):
    async def run_before(pilot):
        from advocate_tui.screens.student import StudentScreen

        rows = pilot.app.screen.query_one("#incidents").rows
        student = rows[0].record.student_ids()[0]
        pilot.app.push_screen(StudentScreen(student))
        await pilot.pause()

    assert snap_compare(demo_app, run_before=run_before, terminal_size=(120, 36))
