"""The common shape of the five main-screen panes: a titled box with a one-line summary and a table.

A pane shows the :class:`~advocate_tui.services.today.Row` list it is given (it never reads the
database itself), keeps the cursor on the same record across refreshes, and can select a row by key.
Given the first rows of a page (a :class:`~advocate_tui.services.rows.PaneRows`), it asks them for
the next rows as the cursor comes near the last one read; its summary counts the rows not read yet.
On a small screen the main screen collapses the panes it is not using to their summary line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey

from ..services.rows import Row
from .literal import literal
from .pane_columns import PaneColumns
from .pane_fill import PaneFill
from .pane_lines import PaneLines, _click_meta
from .pane_page import PanePage
from .pane_summary import PaneSummary

__all__ = ["Pane", "PaneTable"]


class PaneTable(PaneLines, PaneFill, DataTable):
    """The rows of a pane: one line each, the whole row selected."""

    DEFAULT_CSS = """
    PaneTable { height: 1fr; scrollbar-size-vertical: 1; }
    """
    #: nothing scrolls sideways in a pane: home and end go to the first and the last row
    BINDINGS = [Binding("home", "scroll_top", "Top", show=False), Binding("end", "scroll_bottom", "Bottom", show=False)]

    def action_scroll_bottom(self) -> None:
        """To the last row of the page (the rows not read yet, or not in the table yet, first)."""
        pane = self.parent
        if isinstance(pane, Pane):
            pane.show_all()
        super().action_scroll_bottom()

    #: the table's style while its lines are drawn (DataTable works it out again for each line,
    #: through every ancestor's styles: ~0.1 ms a line, bench/)
    _drawing_style: Style | None = None

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

    #: while its lines are drawn: what every cell's drawing asks of the table (reactives: ~2 µs a read,
    #: ~8 reads a cell, bench/), see :meth:`_cell_settings`
    _drawing_cells: tuple | None = None

    def render_lines(self, crop):
        self._drawing_style = self._drawing_columns = self._drawing_cells = None
        self._drawing_style = self.rich_style
        if self._plain_rows():
            self._drawing_columns = (self.size.width, [(n, c.get_render_width(self))
                                                        for n, c in enumerate(self.ordered_columns)])
            self._drawing_cells = self._cell_settings()
        try:
            return super().render_lines(crop)
        finally:
            self._drawing_style = self._drawing_columns = self._drawing_cells = None

    def _cell_settings(self) -> tuple:
        """What a cell's drawing reads of the table: fixed rows or columns, the padding, the cursor shown,
        the hover cursor shown, the cursor's colours taken from CSS (foreground, background), the console."""
        return (bool(self.fixed_rows or self.fixed_columns), self.cell_padding, self.show_cursor,
                self._show_hover_cursor, self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css", self.app.console)

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
        fixed, pad, show_cursor, show_hover, fg_css, bg_css, console = self._drawing_cells or self._cell_settings()
        if row_index < 0 or column_index < 0 or fixed:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, base_style, cursor, hover, show_hover, self._update_count,
               self._pseudo_class_state)
        cache = self._cell_render_cache
        if key in cache:
            return cache[key]
        cell = self._data.get(row_key, {}).get(column_key)
        row = self.rows.get(row_key)
        inner = width - 2 * pad
        lines = cell.plain.split("\n") if isinstance(cell, Text) and not cell.spans else None
        if (lines is None or row is None or row.auto_height or len(lines) > row.height or inner < 0
                or "\t" in cell.plain or any(cell_len(line) > inner for line in lines)):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, show_cursor, show_hover, fg_css, bg_css)
        pre = base_style + _click_meta(row_index, column_index, False) + component
        blank = pre + post if post else pre
        own = console.get_style(cell.style, default=Style.null()) if cell.style else None
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


class Pane(PanePage, PaneColumns, PaneSummary, Vertical):
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
        self._composed = True
        if self._summary is None and self.screen.has_class("-compact"):  # a small terminal: from the first frame
            self._summary = self._new_summary()
        if self._summary is not None:
            yield self._summary
        yield Static(literal(self.EMPTY), classes="pane-empty")
        yield PaneTable(cursor_type="row", zebra_stripes=False, id=f"{self.PANE}-table")

    @property
    def table(self) -> PaneTable:
        return self.query_one(PaneTable)

    # ------------------------------------------------------------------ content
    def summary(self, rows: list[Row]) -> str:
        """The one-line summary shown when the pane is collapsed (subclasses say more); it counts the
        whole page, the rows not read yet too."""
        carried = sum(r.carried for r in rows) + self.unread(rows, "carried")
        late = sum(r.late and "logged late" in r.status for r in rows)
        kept = sum(r.late for r in rows) - late  # saved on their day, after its handoff (or with none)
        today = len(rows) + self.unread(rows) - carried - late - kept
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
        self._page = self._first_part(rows)
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
        self._set_summary(alert=any(r.alert for r in self._fit_rows()) or self.unread(self.rows, "alert") > 0)
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
                or any(r.key == row.key for r in self.rows)
                or len(self.rows) + self.unread(self.rows) >= limit > len(self.rows)):  # (a last row not read)
            return False
        # (each row's time as held: the rows read from the stored columns stay unvalidated, see Row.held)
        index = next((i for i, r in enumerate(self.rows) if r.carried or r.late or r.held is None
                      or r.held.when <= when), len(self.rows))
        if index >= limit:
            return False
        self.rows.insert(index, row)
        dropped = self.rows.pop() if len(self.rows) > limit else None
        if dropped is not None:
            self._kept = {k: v for k, v in self._kept.items() if k[0] != id(dropped)}
        self.query_one(".pane-empty").display = False
        self._set_subtitle()
        self._set_summary(alert=any(r.alert for r in self.rows) or self.unread(self.rows, "alert") > 0)
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
        self._memo = {}  # (the cell texts worked out for the widths just now are taken again: same rows)
        try:
            self._show_upto(max(self.CHUNK, cursor + 1, self.table.size.height + 10))  # (a tall pane: full)
        finally:
            self._memo = None
        if self.rows:
            table.move_cursor(row=min(cursor, self._shown - 1), animate=False)

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
        self._set_summary(literal(line, one_line=True))

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
        self.read_to_fill()
        if self.rows and self.table.size.width != getattr(self, "_filled_width", None):
            self._fill()

    def select_key(self, key: str) -> bool:
        """Put the cursor on the row with this key; False if it is not shown."""
        index = self._index_of(key)
        if index is None and self._page is not None:  # (maybe among the rows not read yet)
            self.read_more()
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
