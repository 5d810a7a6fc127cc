"""Quitting or locking with a form open: it asks first, and what was typed is kept as a draft at once."""

from __future__ import annotations

from conftest import reopen
from forms_helpers import SIZE, open_form, type_text

from advocate_tui.screens.forms import IncidentForm
from advocate_tui.screens.forms.confirm import ConfirmScreen
from advocate_tui.services import drafts


async def _typed_incident_note(pilot) -> None:
    await open_form(pilot, "i", IncidentForm)
    await type_text(pilot, "zo")
    await pilot.press("enter", "h", "enter")
    await type_text(pilot, "tech")
    await pilot.press("enter")
    await type_text(pilot, "phone out")          # no wait: the debounced draft is not written yet


async def test_ctrl_q_with_typed_form_asks_and_n_stays(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _typed_incident_note(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)       # asked, did not quit
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        assert app.screen.values()["description"] == "phone out"
        assert app.is_running


async def test_ctrl_q_then_yes_keeps_what_was_typed_a_moment_ago(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _typed_incident_note(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    fresh = reopen(desk)
    try:
        [left] = drafts.pending_drafts(fresh)
        assert left.form == "incident" and left.data["description"] == "phone out"
    finally:
        fresh.close()


async def test_ctrl_q_with_no_form_open_quits_at_once(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert app.return_code == 0


async def test_lock_writes_the_draft_before_the_lock_shows(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _typed_incident_note(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked
        [left] = drafts.pending_drafts(desk, include_live=True)
        assert left.data["description"] == "phone out"
