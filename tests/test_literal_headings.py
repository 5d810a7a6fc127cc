"""A table's column headings in the school's own words are shown as written, never read as markup."""

from __future__ import annotations

from conftest import ROSTER

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk


async def test_a_schools_word_for_student_with_brackets_heads_the_panes_as_written(profile, clock, tmp_path):
    terms = profile.terms.model_copy(update={"student": "[i]kid", "students": "[i]kids"})
    school = profile.model_copy(update={"terms": terms})
    desk = Desk.open(tmp_path / "school.db", school, clock=clock)
    desk.store.upsert_students(ROSTER)
    try:
        app = AdvocateApp(desk)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#attendance").table
            headings = [column.label.plain for column in table.columns.values()]
            assert "[i]kid(s)" in headings, headings
    finally:
        desk.close()
