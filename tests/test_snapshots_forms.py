"""Snapshots of each form (fixed size, frozen clock, fictional roster).

Sizes stay narrower than a form's max width so the main screen behind never shows.
Update with: .venv/bin/python -m pytest tests/test_snapshots_forms.py --snapshot-update
"""

from __future__ import annotations

import pytest

from advocate_tui.screens.forms import (
    AttendanceForm,
    ContactForm,
    IncidentForm,
    ItemScreen,
    ReferralForm,
    VoidForm,
)
from advocate_tui.services import recording

SIZE = (100, 32)


def _incident(desk):
    incident = recording.save(desk, "incident", {
        "students": [{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1003", "role": "harmed"}],
        "behavior": "Disrespect", "location": "Cafeteria", "description": "name-calling at lunch",
        "actions": ["restorative_conversation"],
    })
    return recording.save(desk, "incident", {**recording.values_of(desk, incident), "location": "Hallway"}, incident)


async def _steady_cursor(pilot):
    """A steady cursor: the picture does not depend on when, in the blink, it is taken (a loaded machine)."""
    from textual.widgets import Input

    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _pusher(make_form):
    async def run_before(pilot):
        pilot.app.push_screen(make_form(pilot.app.desk))
        await pilot.pause()
        await pilot.pause()  # the form has put its cursor in its first field (after its first frame)
        await _steady_cursor(pilot)
    return run_before


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["100x32", "80x24"])
def test_incident_form_typing(snap_compare, make_app, size):
    async def run_before(pilot):
        pilot.app.push_screen(IncidentForm())
        await pilot.pause()
        await pilot.press(*"ana")
        await _steady_cursor(pilot)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)


def test_incident_form_with_an_error(snap_compare, make_app):
    async def run_before(pilot):
        pilot.app.push_screen(IncidentForm())
        await pilot.pause()
        await pilot.press(*"marc", "enter", "r", "enter", "ctrl+s")
        await _steady_cursor(pilot)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_incident_behaviour_type_ahead(snap_compare, make_app):
    async def run_before(pilot):
        pilot.app.push_screen(IncidentForm())
        await pilot.pause()
        await pilot.press(*"marc", "enter", "r", "enter", "d", "i")
        await _steady_cursor(pilot)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_contact_form(snap_compare, make_app):
    async def run_before(pilot):
        pilot.app.push_screen(ContactForm())
        await pilot.pause()
        await pilot.press(*"S1004", "enter")
        await _steady_cursor(pilot)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_attendance_form(snap_compare, make_app):
    assert snap_compare(make_app(), run_before=_pusher(lambda desk: AttendanceForm()), terminal_size=SIZE)


def test_referral_form_from_incident(snap_compare, make_app, desk):
    incident = _incident(desk)
    assert snap_compare(make_app(), run_before=_pusher(lambda d: ReferralForm.from_record(incident)), terminal_size=SIZE)


def test_void_form(snap_compare, make_app, desk):
    incident = _incident(desk)
    assert snap_compare(make_app(), run_before=_pusher(lambda d: VoidForm(incident)), terminal_size=SIZE)


def test_item_screen_with_history(snap_compare, make_app, desk):
    incident = _incident(desk)
    assert snap_compare(make_app(), run_before=_pusher(lambda d: ItemScreen(incident)), terminal_size=SIZE)
