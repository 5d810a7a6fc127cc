"""A pane's rows are drawn exactly as Textual's DataTable draws them (the pane draws plain cells
itself, faster): the same characters and styles — the cursor row, alerts in bold error colour,
carried-over rows in italics, two-line cells — and the same row and column under a click."""

from __future__ import annotations

from rich.segment import Segment
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable

from advocate_tui.services.today import PANES
from advocate_tui.widgets.pane import PaneTable

from main_seed import seed_day


def _drawn(table: PaneTable, draw, row: int, column: int, style, width: int, cursor: bool) -> list:
    table._cell_render_cache.clear()
    lines = draw(table, row, column, style, width, cursor=cursor)
    return [[(s.text, s.style) for s in Strip(line).simplify()] for line in lines]


async def test_every_pane_cell_is_drawn_as_datatable_draws_it(desk, make_app):
    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        compared = styled = tall = 0
        for name in PANES:
            table = app.screen.query_one(f"#{name}-table", PaneTable)
            base = table.rich_style
            for row in range(table.row_count):
                row_style = table._get_row_style(row, base)
                for column, col in enumerate(table.ordered_columns):
                    width = col.get_render_width(table)
                    for cursor in (False, True):
                        mine = _drawn(table, PaneTable._render_cell, row, column, row_style, width, cursor)
                        theirs = _drawn(table, DataTable._render_cell, row, column, row_style, width, cursor)
                        assert mine == theirs, (name, row, column, cursor)
                        compared += 1
                        styled += any(s is not None and (s.italic or s.bold) for line in mine for _t, s in line)
                        tall += len(mine) > 1
        table._cell_render_cache.clear()
        assert compared > 100 and styled and tall  # alerts, carried rows and two-line rows among them


def _lines(table: PaneTable) -> list:
    table._clear_caches()
    strips = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [[(s.text, s.style) for s in strip] for strip in strips]


async def test_every_pane_line_is_drawn_as_datatable_draws_it(desk, make_app, monkeypatch):
    """Whole lines — the header, each row with the cursor on it or not, under the mouse or not, and
    the row's style out to the table's edge (what a click there reads) — as DataTable draws them."""
    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        compared = 0
        for name in PANES:
            table = app.screen.query_one(f"#{name}-table", PaneTable)
            table._show_hover_cursor = True
            for cursor, hover in ((0, 1), (table.row_count - 1, 0), (1, 1)):
                if table.row_count < 2:
                    continue
                table.move_cursor(row=cursor, animate=False)
                table.hover_coordinate = Coordinate(hover, 0)
                await pilot.pause()
                mine = _lines(table)
                with monkeypatch.context() as m:
                    m.setattr(PaneTable, "_plain_rows", lambda self: False)  # DataTable's own drawing
                    theirs = _lines(table)
                assert mine == theirs, (name, cursor, hover)
                compared += sum(1 for line in mine if line)
        assert compared > 40


async def test_rows_moved_down_by_a_quick_log_are_drawn_as_datatable_draws_them(desk, make_app, monkeypatch):
    """A quick log puts its row above the others: they are painted one line further down with the
    row a click there reads — the same lines, styles and click meta as DataTable's own drawing."""
    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#incidents-table", PaneTable)
        before = len(table.rows)
        for keys in ("i", "marc", "enter", "r", "enter", "de", "enter", "a chair thrown", "enter", "cl", "enter"):
            await pilot.press(*(["enter"] if keys == "enter" else ["space" if ch == " " else ch for ch in keys]))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(table.rows) == before + 1 and table.cursor_row == 0
        region = table.region
        painted = [[(s.text, s.style) for s in strip] for strip in table.render_lines(region.reset_offset)]
        with monkeypatch.context() as m:
            m.setattr(PaneTable, "_plain_rows", lambda self: False)  # DataTable's own drawing
            theirs = _lines(table)
        assert painted == theirs
        metas = [s.meta.get("row") for line in painted[1:] for _t, s in line if s is not None and s.meta]
        assert sorted(set(metas)) == list(range(before + 1))  # each row's click names its new place
