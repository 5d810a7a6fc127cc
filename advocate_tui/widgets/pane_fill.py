"""How a pane's table takes its rows: a fill's rows in one go, and its size without measuring them.

DataTable re-sets its cursor (a reactive, with its watchers) on every row added, and at its next idle
measures every new cell through Rich to size its auto-width columns. A pane gives every column its
width and every row its height, and fills up to 100 rows at once (five panes at a decade's start, bench/):
:class:`PaneFill` adds them together and works out only the scrollable size.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets.data_table import DuplicateKey, Row, RowKey

__all__ = ["PaneFill"]


class PaneFill:
    """For a DataTable (``class PaneTable(PaneLines, PaneFill, DataTable)``): rows added in one go
    (:meth:`add_lines`) and its size worked out without measuring cells it never sizes by."""

    def add_lines(self, lines: Sequence[tuple[str, Sequence[Text], int]]) -> None:
        """Add rows at the bottom, each ``(key, cells, height)``, as ``add_row`` adds each one (same keys,
        cells, heights and cursor), the cursor checked and the table refreshed once for them all: DataTable
        re-sets its cursor (a reactive, with its watchers) on every row added, ~0.05 ms a row (a pane
        filled with 100 rows at a start, bench/)."""
        if not lines:
            return
        keys = [column.key for column in self.ordered_columns]
        was_empty = not self.row_count
        for key, cells, height in lines:
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(keys):
                raise ValueError("More values provided than there are columns.")
            self._row_locations[row_key] = self.row_count
            self._data[row_key] = dict(zip(keys, [*cells, *[None] * (len(keys) - len(cells))]))
            self.rows[row_key] = Row(row_key, height, None, False)
            self._new_rows.add(row_key)
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    def _update_dimensions(self, new_rows) -> None:
        """The table's scrollable size after rows were added. A pane gives every column its width and
        every row its height, so there is nothing to measure: DataTable measures each new cell through
        Rich for an auto-width column's sake (~0.05 ms a cell, 5 panes of 100 rows at a decade's start,
        bench/); only an auto-width column, a labelled or an auto-height row goes through that."""
        if any(column.auto_width for column in self.columns.values()) or any(
                (row := self.rows.get(key)) is not None and (row.label is not None or row.auto_height)
                for key in new_rows):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = self.virtual_size.with_width(width + self._row_label_column_width).with_height(
            self._total_row_height + header)
