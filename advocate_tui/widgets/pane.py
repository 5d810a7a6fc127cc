"""The common shape of the five main-screen panes: a titled box with a one-line summary and a table.

A pane shows the :class:`~advocate_tui.services.today.Row` list it is given (it never reads the
database), keeps the cursor on the same record across refreshes, and can select a row by key.
On a small screen the main screen collapses the panes it is not using to their summary line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey

from ..services.rows import Row
from .literal import literal, update_text
from .pane_columns import PaneColumns

__all__ = ["Pane", "PaneTable"]


class PaneTable(DataTable):
    """The rows of a pane: one line each, the whole row selected."""

    DEFAULT_CSS = """
    PaneTable { height: 1fr; scrollbar-size-vertical: 1; }
    """

    #: the table's style while its lines are drawn (DataTable works it out again for each line,
    #: through every ancestor's styles: ~0.1 ms a line, bench/)
    _drawing_style: Style | None = None

    #: while its lines are drawn: the table's width and its columns with their widths (DataTable
    #: works them out again for every line, and its header's style, which a pane's body lines
    #: never use: ~0.2 ms a line, bench/ quick log)
    _drawing_columns: tuple[int, list] | None = None

    def settle(self) -> None:
        """Work out the table's size from the rows just added now (DataTable waits for its idle)."""
        if self._updated_cells:
            cells = self._updated_cells.copy()
            self._updated_cells.clear()
            self._update_column_widths(cells)
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(rows)
            self._refresh_scrollbars()  # (at its next layout, a scroll bar if the rows need one)

    def render_lines(self, crop):
        self._drawing_style = self._drawing_columns = None
        self._drawing_style = self.rich_style
        if self._plain_rows():
            self._drawing_columns = (self.size.width, [(n, c.get_render_width(self))
                                                        for n, c in enumerate(self.ordered_columns)])
        try:
            return super().render_lines(crop)
        finally:
            self._drawing_style = self._drawing_columns = None

    #: body lines as drawn, by row rather than by place (row key, line, cursor, hover, widths… →
    #: (row index, line)): when a row is put in above them the rows below are the same lines one
    #: further down, where only the row a click reads differs (drawing them again: ~0.25 ms a line)
    _by_row: LRUCache | None = None

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A body line as DataTable draws it; a line drawn before for the same row, cursor, hover and
        widths is taken again, with the row under a click set to where the row is now."""
        drawing = self._drawing_columns
        if drawing is None or not 0 <= y - (self.header_height if self.show_header else 0) < len(self._y_offsets):
            return super()._render_line(y, x1, x2, base_style)
        row_key, line_no = self._get_offsets(y)
        row_index = self._row_locations.get(row_key)
        cursor, hover = self.cursor_coordinate.row == row_index, self.hover_coordinate.row == row_index
        width, columns = drawing
        key = (row_key, line_no, x1, x2, width, tuple(w for _n, w in columns), cursor, hover, base_style,
               self.show_cursor, self._show_hover_cursor, self._pseudo_class_state,
               self.cursor_foreground_priority, self.cursor_background_priority)
        if self._by_row is None:
            self._by_row = LRUCache(1000)
        drawn = self._by_row.get(key)
        if drawn is not None and drawn[0] is self._data.get(row_key):
            _cells, index, strip, parts = drawn
            if index != row_index:
                strip = Strip([Segment(text, style + _click_meta(row_index, *where) if where else style, control)
                               for text, style, where, control in parts], strip.cell_length)
                self._by_row[key] = (_cells, row_index, strip, parts)
            return strip
        strip = super()._render_line(y, x1, x2, base_style)
        parts = _parts(strip)
        if parts is not None:
            self._by_row[key] = (self._data.get(row_key), row_index, strip, parts)
        return strip

    def _clear_caches(self) -> None:
        super()._clear_caches()
        if self._by_row is not None:
            self._by_row.clear()

    def notify_style_update(self) -> None:
        if self._by_row is not None:
            self._by_row.clear()  # the cursor's or hover's colours may differ
        super().notify_style_update()

    def update_cell(self, *args, **kwargs) -> None:
        if self._by_row is not None:
            self._by_row.clear()  # a row's cells changed in place
        super().update_cell(*args, **kwargs)

    def _plain_rows(self) -> bool:
        """The table's rows are drawn the simple way a pane's are: a row cursor, no fixed rows or
        columns, no row labels, no zebra stripes (anything else: DataTable's own drawing)."""
        return (self.cursor_type == "row" and not self.fixed_rows and not self.fixed_columns
                and not self.zebra_stripes and not self._should_render_row_labels)

    def _render_line_in_row(self, row_key, line_no: int, base_style: Style, cursor_location, hover_location):
        """A body line of the table: DataTable's own, in the same segments and styles (each cell,
        then the row's style out to the table's width with the row under a click), without working
        out per line what a pane's lines never use."""
        drawing = self._drawing_columns
        row_index = self._row_locations.get(row_key) if row_key in self._row_locations else None
        if drawing is None or row_index is None:
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        cache_key = (row_key, line_no, base_style, cursor_location, hover_location, self.cursor_type,
                     self.show_cursor, self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        cache = self._row_render_cache
        if cache_key in cache:
            return cache[cache_key]
        cursor = cursor_location.row == row_index
        hover = hover_location.row == row_index
        render_cell = self._render_cell
        width, columns = drawing
        scrollable_row = [render_cell(row_index, n, base_style, w, cursor=cursor, hover=hover)[line_no]
                          for n, w in columns]
        extend_style, _ = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor, False, False)
        extend_style = base_style + extend_style + Style.from_meta(
            {"row": row_index, "column": 0, "out_of_bounds": True})
        remaining_space = max(0, width - sum(w for _n, w in columns))
        scrollable_row.append([Segment(" " * remaining_space, extend_style)])
        row_pair = ([], scrollable_row)
        cache[cache_key] = row_pair
        return row_pair

    @property
    def rich_style(self) -> Style:
        return self._drawing_style if self._drawing_style is not None else super().rich_style

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        """A body cell drawn straight into its segments when its text is plain lines that fit the
        column (as a pane's cells are: :meth:`Pane._cell`), the same segments and styles as
        DataTable's own drawing through Rich (padding, the cell's style between the row's and the
        cursor's, the row and column for a click) in a fraction of the time: a save that puts a row
        into a pane draws every line of the table again (~0.25 ms a cell that way, bench/)."""
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count,
               self._pseudo_class_state)
        cache = self._cell_render_cache
        if key in cache:
            return cache[key]
        cell = self._data.get(row_key, {}).get(column_key)
        row = self.rows.get(row_key)
        pad = self.cell_padding
        inner = width - 2 * pad
        lines = cell.plain.split("\n") if isinstance(cell, Text) and not cell.spans else None
        if (lines is None or row is None or row.auto_height or len(lines) > row.height or inner < 0
                or "\t" in cell.plain or any(cell_len(line) > inner for line in lines)):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        blank = pre + post if post else pre
        own = self.app.console.get_style(cell.style, default=Style.null()) if cell.style else None
        text = ((pre + own) + post if post else pre + own) if own else blank
        edge = Segment(" " * pad, blank) if pad else None
        out = []
        for n in range(row.height):
            line = lines[n] if n < len(lines) else ""
            segments = [edge] if edge else []
            if line:
                segments.append(Segment(line, text))
            if inner - cell_len(line):
                segments.append(Segment(" " * (inner - cell_len(line)), blank))
            if edge:
                segments.append(edge)
            out.append(segments)
        cache[key] = out
        return out


class Pane(PaneColumns, Vertical):
    """One of the five areas of the shift: a title "1 Incidents", a summary line and the rows."""

    #: which pane ("incidents", "checklist"...), its number key and title; set by each subclass
    PANE = ""
    NUMBER = 0
    TITLE = ""
    #: (label, Row attribute, share of the width left after the time column) for each column
    COLUMNS: tuple[tuple[str, str, int], ...] = (
        ("Time", "time", 0), ("Student(s)", "students", 3), ("What", "what", 3), ("Status", "status", 2),
    )
    EMPTY = "nothing yet today"
    #: the summary of a pane with no rows (a new database): the collapsed line still names the pane
    NOTHING = "nothing today"

    DEFAULT_CSS = """
    Pane > .pane-summary { height: 1; width: 1fr; color: $text-muted; }
    Pane > .pane-summary.-alert { color: $error; text-style: bold; }
    Pane > .pane-empty { height: 1; color: $text-muted; padding: 0 1; }
    """

    class Chosen(Message):
        """The user pressed enter (or clicked) on a row of a pane."""

        def __init__(self, pane: "Pane", row: Row) -> None:
            super().__init__()
            self.pane = pane
            self.row = row

    class Activated(Message):
        """The user clicked a collapsed pane's summary line: make it the active pane."""

        def __init__(self, pane: "Pane") -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, **kwargs) -> None:
        super().__init__(id=self.PANE, classes="pane", **kwargs)
        self.rows: Sequence[Row] = []
        #: True once set_rows has run (the first load always fills the pane, even with no rows)
        self.loaded = False
        self.border_title = literal(f"{self.NUMBER} {self.TITLE}")

    def compose(self) -> ComposeResult:
        yield Static(literal(f"{self.NUMBER} {self.TITLE} · {self.NOTHING}"), classes="pane-summary")
        yield Static(literal(self.EMPTY), classes="pane-empty")
        yield PaneTable(cursor_type="row", zebra_stripes=False, id=f"{self.PANE}-table")

    @property
    def table(self) -> PaneTable:
        return self.query_one(PaneTable)

    # ------------------------------------------------------------------ content
    def summary(self, rows: list[Row]) -> str:
        """The one-line summary shown when the pane is collapsed (subclasses say more)."""
        carried = sum(r.carried for r in rows)
        late = sum(r.late and "logged late" in r.status for r in rows)
        kept = sum(r.late for r in rows) - late  # saved on their day, after its handoff (or with none)
        today = len(rows) - carried - late - kept
        bits = [f"{today} today"]
        if late:
            bits.append(f"{late} logged late")
        if kept:
            bits.append(f"{kept} not handed off")
        if carried:
            bits.append(f"{carried} carried over")
        return " · ".join(bits)

    def short_summary(self, rows: list[Row]) -> str:
        """The summary in short forms, for the one-line collapsed pane (80 columns)."""
        return (self.summary(rows).replace(" carried over", " carried").replace(" logged late", " late")
                .replace(" not handed off", " not handed"))

    def set_rows(self, rows: Sequence[Row], select: str | None = None) -> None:
        """Show these rows, keeping the cursor on the same record (or on ``select`` if given)."""
        keep = select or self.current_key()
        self.rows = self._hold(rows)
        self._kept = {}
        if not self.rows or self.table.size.width:
            self._fill()  # (before the first layout, on_resize fills it once, at its real width)
        else:  # not laid out (or collapsed): nothing in the table until on_resize fills it
            self.table.clear(columns=True)
            self._filled_width, self._shown = None, len(self.rows)
        self.query_one(".pane-empty").display = not self.rows
        self.loaded = True
        self._set_subtitle()
        summary = self.query_one(".pane-summary", Static)
        summary.set_class(any(r.alert for r in self._fit_rows()), "-alert")
        if keep is not None:
            self.select_key(keep)

    def insert_row(self, row: Row, limit: int) -> bool:
        """Show one new row of today in its place (today's rows newest first, by the record's time;
        before the earlier days' rows), with the cursor on it, without filling the table again; a pane
        of ``limit`` rows lets its last row go, as a read would. False (nothing changed) when it
        can't: the pane is not filled yet, the row is there already or would fall past ``limit``.
        The columns are fitted again; if their widths change, the table is filled again from the rows
        held (still no read)."""
        table = self.table
        when = row.record.when if row.record is not None else None
        if (when is None or not isinstance(self.rows, list) or not self.loaded or not table.size.width
                or getattr(self, "_filled_width", None) != table.size.width
                or any(r.key == row.key for r in self.rows)):
            return False
        index = next((i for i, r in enumerate(self.rows) if r.carried or r.late or r.record is None
                      or r.record.when <= when), len(self.rows))
        if index >= limit:
            return False
        self.rows.insert(index, row)
        dropped = self.rows.pop() if len(self.rows) > limit else None
        if dropped is not None:
            self._kept = {k: v for k, v in self._kept.items() if k[0] != id(dropped)}
        self.query_one(".pane-empty").display = False
        self._set_subtitle()
        self.query_one(".pane-summary", Static).set_class(any(r.alert for r in self.rows), "-alert")
        widths = self._widths if self._same_widths(row) else self.widths(table.size.width)
        if widths != self._widths or index > self._shown:
            self._fill()
            self.select_key(row.key)
            return True
        lines = [self._lines(row, attr, w) for (_l, attr, _x), w in zip(self.COLUMNS, widths)]
        table.add_row(*(self._cell(row, attr, w, cells) for (_l, attr, _x), w, cells
                        in zip(self.COLUMNS, widths, lines)), key=row.key, height=max(map(len, lines)))
        self._shown += 1
        if dropped is not None and RowKey(dropped.key) in table.rows:
            table.remove_row(dropped.key)
            self._shown -= 1
        # the new row is last in the table: give every row its place (as DataTable.sort does)
        order = [r.key for r in self.rows[:self._shown]]
        table._row_locations = type(table._row_locations)({RowKey(k): n for n, k in enumerate(order)})
        table._update_count += 1
        table.refresh()
        table.move_cursor(row=index, animate=False)
        return True

    def _fill(self, width: int | None = None) -> None:
        """Fill the table at its width (or at ``width``, the one it will have, before it is laid out)."""
        table = self.table
        cursor = table.cursor_row
        self._kept = {}
        widths = self.widths(width or self.table.size.width or self.size.width or 80)
        self._filled_width = width or self.table.size.width
        table.clear(columns=True)
        for (label, _attr, _w), width in zip(self.COLUMNS, widths):
            table.add_column(literal(self.app.desk.words.label(label)), key=label, width=width)  # (a str is markup)
        self._widths, self._shown = widths, 0
        self._show_upto(max(self.CHUNK, cursor + 1))
        if self.rows:
            table.move_cursor(row=min(cursor, self._shown - 1), animate=False)

    #: rows put in the table at a time: the rest are added as the cursor comes near them (a student
    #: page with 10 years of history has ~1,500 rows; a DataTable takes ~0.3 ms a row)
    CHUNK = 100

    def _show_upto(self, count: int) -> None:
        """Add rows to the table until ``count`` rows (or all) are in it."""
        end = min(len(self.rows), count)
        widths, table = self._widths, self.table
        for row in self.rows[self._shown:end]:
            cells = [self._lines(row, attr, w) for (_l, attr, _x), w in zip(self.COLUMNS, widths)]
            table.add_row(*(self._cell(row, attr, w, lines) for (_l, attr, _x), w, lines
                            in zip(self.COLUMNS, widths, cells)), key=row.key, height=max(map(len, cells)))
        self._shown = max(self._shown, end)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if getattr(self, "_shown", 0) < len(self.rows) and event.cursor_row >= self._shown - 10:
            self._show_upto(self._shown + self.CHUNK)

    def restyle(self) -> None:
        """Draw the rows again (after a theme change: alerts use the theme's error colour)."""
        if self.rows:
            self._fill()

    def _set_subtitle(self) -> None:
        """The summary under the box and on the collapsed line: short forms when the long ones
        don't fit."""
        text = self.summary(self.rows) if self.rows else self.NOTHING
        short = self.short_summary(self.rows) if self.rows else self.NOTHING
        subtitle = short if self.size.width and len(text) + 8 > self.size.width else text
        if subtitle != getattr(self, "_subtitle", None):  # (setting it repaints the pane, even to the same text)
            self._subtitle = subtitle
            self._set_border_subtitle(literal(subtitle))
        line = f"{self.NUMBER} {self.TITLE} · {text}"
        if len(line) + 2 > (self.app.size.width or 80):
            line = f"{self.NUMBER} {self.TITLE} · {short}"
        update_text(self.query_one(".pane-summary", Static), literal(line, one_line=True))

    def _set_border_subtitle(self, subtitle: Text) -> None:
        """The summary under the box. Once the box is drawn only its bottom line is drawn again
        (``border_subtitle`` draws every line of the box again: ~2 ms a save on the incidents pane)."""
        width, height = self.outer_size
        if not (self.is_mounted and height and width and self.styles.border_bottom[0]):
            self.border_subtitle = subtitle
            return
        before = self._border_subtitle
        # stored as Textual's border_subtitle stores it (a one-line Content), without its refresh()
        self._border_subtitle = self.render_str(Content.from_rich_text(subtitle)).expand_tabs(4).split()[0]
        if self._border_subtitle != before:
            x, y = self.content_offset
            self.refresh(Region(-x, height - 1 - y, width, 1))

    def on_resize(self) -> None:
        self.fit_width()

    def fit_width(self) -> None:
        """Fill the table at its width, if it was not filled at that width yet (after a layout: the
        main screen calls it at its first layout, before the first paint; a resize does too)."""
        self._set_subtitle()
        if self.rows and self.table.size.width != getattr(self, "_filled_width", None):
            self._fill()

    def select_key(self, key: str) -> bool:
        """Put the cursor on the row with this key; False if it is not shown."""
        index = self._index_of(key)
        if index is None:
            return False
        if index >= getattr(self, "_shown", len(self.rows)):
            self._show_upto(index + self.CHUNK)
        self.table.move_cursor(row=index, animate=False)
        return True

    def _index_of(self, key: str) -> int | None:
        """Where the row with this key is among the rows (None: not there)."""
        return next((index for index, row in enumerate(self.rows) if row.key == key), None)

    def open_row(self, screen, row: Row) -> bool:
        """What enter does on one of this pane's own rows (not a record's: a door, the patrol line, a
        note); False when the row opens as any record does (its view)."""
        return False

    def current_row(self) -> Row | None:
        """The row under the cursor, or None in an empty pane."""
        if not self.rows:
            return None
        index = self.table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def current_key(self) -> str | None:
        row = self.current_row()
        return row.key if row else None

    def focus_table(self) -> None:
        self.table.focus()

    # ------------------------------------------------------------------ events
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current_row()
        if row is not None:
            self.post_message(self.Chosen(self, row))

    def on_click(self, event: events.Click) -> None:
        if not self.has_class("-active"):
            self.post_message(self.Activated(self))


def _parts(strip: Strip) -> list | None:
    """A drawn body line taken apart: each segment's text, its style without the click meta, the cell
    the meta names (column, past the last column) and its control codes; None when a segment's meta
    is anything else (then the line is drawn again when it moves)."""
    parts = []
    for segment in strip:
        style = segment.style
        meta = style.meta if style is not None and style._meta else None
        if not meta:
            parts.append((segment.text, style, None, segment.control))
            continue
        if set(meta) - {"row", "column", "out_of_bounds"} or "row" not in meta or "column" not in meta:
            return None
        parts.append((segment.text, style.clear_meta_and_links(), (meta["column"], "out_of_bounds" in meta),
                      segment.control))
    return parts


@lru_cache(maxsize=4096)
def _click_meta(row: int, column: int, past_end: bool) -> Style:
    """The meta DataTable puts on a cell's segments (the row and column a click reads)."""
    if past_end:
        return Style.from_meta({"row": row, "column": column, "out_of_bounds": True})
    return Style.from_meta({"row": row, "column": column})
