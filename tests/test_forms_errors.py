"""Errors under fields go away as soon as the value is fixed."""

from __future__ import annotations

from forms_helpers import SIZE, open_form, type_text

from advocate_tui.models import AttendanceFollowUp
from advocate_tui.screens.forms import AttendanceForm


def _error(form, name: str) -> str:
    row = form._fields[name]
    return str(form.query_one(f"#error-{name}").render()) if row.has_class("-invalid") else ""


async def test_a_fixed_due_date_clears_its_error_at_once(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "a", AttendanceForm)
        await type_text(pilot, "herr")
        await pilot.press("enter", "t")                     # Tomás Herrera, Tardy
        form._fields["due"].widget.focus_input()
        await type_text(pilot, "+2dC")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and _error(form, "due").startswith("Due ")
        await type_text(pilot, "x")                          # still wrong: still said (about what is there now)
        assert _error(form, "due").startswith("Due ")
        await pilot.press("backspace", "backspace")          # "+2d": fine
        await pilot.pause()
        assert _error(form, "due") == ""
        assert not form.screen.query_one("#error-due").display or not form._fields["due"].has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    [follow] = desk.store.on_day(AttendanceFollowUp, "2026-11-23")
    assert str(follow.due_date) == "2026-11-25"
