"""Snapshots of the door check and patrol forms (fixed size, frozen clock, nothing but profile names).

Update with: .venv/bin/python -m pytest tests/test_snapshots_door_patrol.py --snapshot-update
"""

from __future__ import annotations

import pytest

from advocate_tui.services import checklist


def _seed(desk):
    desk.clock.set("2026-11-23 09:40")
    checklist.record_door_check(desk, "Main entrance", "secure")
    checklist.record_door_check(desk, "Gym east", "propped_open", "wedged with a chair")
    desk.clock.set("2026-11-23 10:45")


@pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])
def test_door_check_form_on_a_standing_exception(snap_compare, make_app, desk, size):
    _seed(desk)

    async def run_before(pilot):
        from advocate_tui.screens.forms.door import DoorCheckForm

        pilot.app.push_screen(DoorCheckForm("Gym east"))
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)


def test_door_check_form_asking_for_a_note(snap_compare, make_app, desk):
    _seed(desk)
    assert snap_compare(make_app(), press=["d", "a"], terminal_size=(100, 32))


def test_patrol_form_picking_a_zone(snap_compare, make_app, desk):
    assert snap_compare(make_app(), press=["p"], terminal_size=(100, 32))


@pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])
def test_patrol_form_mid_round_with_an_issue(snap_compare, make_app, desk, size):
    rnd = checklist.start_round(desk, "South wing")
    desk.clock.advance(minutes=2)
    rnd = checklist.reach_checkpoint(desk, rnd, "Cafeteria", "clear")
    desk.clock.advance(minutes=3)
    checklist.reach_checkpoint(desk, rnd, "Gym lobby", "issue", "water on the floor by the fountain")
    assert snap_compare(make_app(), press=["p"], terminal_size=size)
