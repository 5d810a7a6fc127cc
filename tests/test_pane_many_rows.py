"""A pane with more rows than a screenful (a big school's day): every row is in the table in the pane's
order, one or two lines each, the table scrolls exactly to its last row, and the cursor reaches the
last of them all (the rest are added as it comes near)."""

from __future__ import annotations

import datetime as dt

import pendulum

from advocate_tui.models import Incident, IncidentStudent, StudentRole
from advocate_tui.widgets.pane import Pane

#: more than a pane puts in its table at first (Pane.CHUNK), a few with long texts (two-line cells)
COUNT = 130


def _seed(store) -> list[str]:
    start = pendulum.datetime(2026, 11, 23, 7, 30, tz="America/Chicago")
    for n in range(COUNT):
        store.add(Incident(
            occurred_at=start.add(minutes=n), location="Cafeteria" if n % 2 else "Hallway B", behavior="Disruption",
            students=[IncidentStudent(student_id=sid, role=StudentRole.RESPONSIBLE)
                      for sid in (("S1001", "S1003", "S1004", "S1005") if n % 9 == 0 else ("S1004",))],
            description=f"Incident number {n}", follow_up_date=dt.date(2026, 11, 24) if n % 3 else None))
    return [i.id for i in store.on_day(Incident, "2026-11-23")]


async def test_a_pane_of_many_rows_holds_them_in_order_and_scrolls_to_the_last(desk, make_app):
    newest_first = _seed(desk.store)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        table = pane.table
        shown = [row.key.value for row in table.ordered_rows]
        assert shown == newest_first[:len(shown)] and Pane.CHUNK <= len(shown) < COUNT
        heights = [table.rows[row.key].height for row in table.ordered_rows]
        assert set(heights) == {1, 2}  # the four students' rows take two lines
        assert table.virtual_size.height == sum(heights) + table.header_height
        assert table.cursor_row == 0 and pane.current_key() == newest_first[0]
        table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert table.scroll_y == table.max_scroll_y > 0
        for _ in range(COUNT):
            await pilot.press("down")
        await pilot.pause()
        assert [row.key.value for row in table.ordered_rows] == newest_first
        assert pane.current_key() == newest_first[-1] and table.cursor_row == COUNT - 1
        assert table.scroll_y == table.max_scroll_y  # the last row is in view, at the bottom
