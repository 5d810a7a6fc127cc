"""The void form: one field, enter saves (as the hint says), a reason is required."""

from __future__ import annotations

from forms_helpers import SIZE, type_text

from advocate_tui.models import Incident
from advocate_tui.services import recording


def _error(form, name: str) -> str:
    row = form._fields[name]
    return str(form.query_one(f"#error-{name}").render()) if row.has_class("-invalid") else ""


async def test_enter_saves_the_void_reason(desk, make_app):
    from advocate_tui.screens.forms.void import VoidForm

    incident = recording.save(desk, "incident", {"students": [{"student_id": "S1001", "role": "involved"}],
                                                 "behavior": "Disrespect", "location": "Gym", "description": "x"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(VoidForm(incident))
        await pilot.pause()
        form = app.screen
        assert "enter" in str(form.query_one("#form-keys").render())
        await pilot.press("enter")                           # no reason: refused, stays
        await pilot.pause()
        assert app.screen is form and "Reason" in _error(form, "reason")
        await type_text(pilot, "logged twice")
        assert _error(form, "reason") == ""
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not form
    assert desk.store.get(Incident, incident.id).voided


async def test_the_void_title_names_the_kind_as_a_person_does(desk, make_app):
    """x on an attendance follow-up asks "Void this attendance follow-up" (not "attendance followup"),
    and the message after says "Attendance follow-up voided"."""
    import datetime as dt

    from advocate_tui.models import AttendanceFollowUp, AttendanceKind
    from advocate_tui.screens.forms.void import VoidForm

    record = desk.store.add(AttendanceFollowUp(student_id="S1005", date=dt.date(2026, 11, 23),
                                               attendance_kind=AttendanceKind.TARDY, periods=["P1"]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(VoidForm(record))
        await pilot.pause()
        form = app.screen
        assert "Void this attendance follow-up" in str(form.query_one("#form-title").render())
        assert form.saved_text(record) == "Attendance follow-up voided"
