"""The school calendar in the forms: quick dates land on school days, a typed day off is noted.

The demo school's calendar has the Thanksgiving break on Thursday 26 and Friday 27 November 2026.
"""

from __future__ import annotations

from advocate_tui.models import AttendanceFollowUp
from advocate_tui.screens.forms.attendance import AttendanceForm
from advocate_tui.services import recording
from advocate_tui.widgets.when_input import WhenInput

from forms_helpers import type_text


async def _due_field(app, pilot) -> WhenInput:
    app.push_screen(AttendanceForm())
    await pilot.pause()
    field = app.screen.query_one("#field-due WhenInput", WhenInput)
    field.focus_input()
    await pilot.pause()
    return field


async def test_plus_3d_in_a_due_date_steps_over_the_break_and_the_weekend(make_app, desk):
    desk.clock.set("2026-11-25 10:45")                    # the Wednesday before Thanksgiving
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        field = await _due_field(app, pilot)
        await type_text(pilot, "+3d")
        label, ok = field.parsed_label()
        assert ok and label == "Wed 02 Dec 2026"          # Mon 30, Tue 1, Wed 2: three school days
        assert not field.query_one(".when-parsed").has_class("-note")
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "tomorrow")
        assert field.parsed_label() == ("Mon 30 Nov 2026", True)
        await pilot.press(*["backspace"] * len("tomorrow"))
        await type_text(pilot, "fri")                     # named outright: kept, with a note beside it
        label, ok = field.parsed_label()
        assert ok and label == "Fri 27 Nov 2026 · no school (Thanksgiving break)"
        assert field.query_one(".when-parsed").has_class("-note")
    values = {"student": "S1006", "date": "", "attendance_kind": "tardy", "due": "+3d"}
    saved = recording.save(desk, "attendance", values)
    assert isinstance(saved, AttendanceFollowUp) and str(saved.due_date) == "2026-12-02"
    assert str(desk.store.get(AttendanceFollowUp, saved.id).due_date) == "2026-12-02"
