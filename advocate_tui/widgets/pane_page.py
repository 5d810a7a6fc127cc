"""How a pane holds the first part of a page and reads on: the rows not read yet are counted for its
summary, read as the cursor comes near the last row read (:class:`PanePage`, a part of
:class:`~advocate_tui.widgets.pane.Pane`). The rows are read by the page itself
(:class:`~advocate_tui.services.rows.PaneRows`): the pane never reads the database."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable

from ..services.rows import PaneRows, Row

__all__ = ["PanePage"]


class PanePage:
    """The paging of a pane: the rows read, and those put in its table, as the cursor goes down (it needs
    ``rows``, ``table``, ``set_rows``, ``_lines``, ``_cell`` and ``_set_subtitle`` of the pane)."""

    rows: Sequence[Row]
    #: the rows given, when they are the first part of a page (the rest read as the cursor nears them)
    _page: PaneRows | None = None

    @staticmethod
    def _first_part(rows: Sequence[Row]) -> PaneRows | None:
        return rows if isinstance(rows, PaneRows) and rows.unread and rows.read is not None else None

    def unread(self, rows: Sequence[Row], part: str | None = None) -> int:
        """How many rows of the page after ``rows`` (the pane's own) are not read yet, or how many of
        them count for ``part`` of the summary ("carried", "alert", "due")."""
        page = self._page
        if page is None or rows is not self.rows:
            return 0
        return page.unread if part is None else page.tally.get(part, 0)

    def take_rows(self, rows: Sequence[Row]) -> None:
        """The same lines read again (and the same rows not read yet): keep the table, take the fresh
        records (refilling a DataTable costs far more than comparing its text; bench/)."""
        self._page = self._first_part(rows)
        self.rows = rows

    def rest(self, rows: Sequence[Row] | None = None) -> tuple[int, dict]:
        """How many rows of the page are not read yet, and their tally, of ``rows`` (default: the pane's)."""
        page = self._page if rows is None else rows
        return (page.unread, page.tally) if isinstance(page, PaneRows) and page.unread else (0, {})

    #: rows read at a time as the cursor comes near the last one read
    READ_MORE = 100

    def read_more(self, upto: int | None = None) -> None:
        """Read the page's next rows, up to ``upto`` rows in all (None: the whole page), and hold them
        after the rows held, in the page's order. The columns keep their widths (nothing on screen moves
        sideways as the cursor goes down): a longer text in the rows read now wraps onto a second line or
        is cut ("…"), as the rows read first are; the next fill (a resize, a read that changes the rows)
        fits the columns to every row held. If the rows held are not the page's first rows any more
        (another desk saved), the pane shows the page as read now, the cursor on the same record."""
        page = self._page
        if page is None or page.read is None:
            return
        rows = page.read(upto)
        held = self.rows
        if not isinstance(held, list) or [r.key for r in rows[:len(held)]] != [r.key for r in held]:
            self.set_rows(rows)
            return
        self._page = self._first_part(rows)
        held.extend(rows[len(held):])
        self._set_subtitle()

    def read_to_fill(self) -> None:
        """On a pane taller than its first rows (a tall terminal): read a screenful more than it shows."""
        height = self.table.size.height
        if self._page is not None and height and len(self.rows) < height + 10:
            self.read_more(2 * height)
            if getattr(self, "_filled_width", None):  # (a resize: the table filled already)
                self._show_upto(2 * height)

    def show_all(self) -> None:
        """Every row of the page read and in the table (before the cursor goes to the last one)."""
        self.read_more()
        if self.rows and getattr(self, "_shown", len(self.rows)) < len(self.rows):
            self._show_upto(len(self.rows))

    #: rows put in the table at a time: the rest are added as the cursor comes near them (a student
    #: page with 10 years of history has ~1,500 rows; a DataTable takes ~0.3 ms a row)
    CHUNK = 100

    def _show_upto(self, count: int) -> None:
        """Add rows to the table until ``count`` rows (or all) are in it."""
        end = min(len(self.rows), count)
        widths, lines = self._widths, []
        for row in self.rows[self._shown:end]:
            cells = [self._lines(row, attr, w) for (_l, attr, _x), w in zip(self.COLUMNS, widths)]
            lines.append((row.key, [self._cell(row, attr, w, text) for (_l, attr, _x), w, text
                                    in zip(self.COLUMNS, widths, cells)], max(map(len, cells))))
        self.table.add_lines(lines)
        self._shown = max(self._shown, end)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._page is not None and event.cursor_row >= len(self.rows) - 10:
            self.read_more(len(self.rows) + self.READ_MORE)
        if getattr(self, "_shown", 0) < len(self.rows) and event.cursor_row >= self._shown - 10:
            self._show_upto(self._shown + self.CHUNK)
