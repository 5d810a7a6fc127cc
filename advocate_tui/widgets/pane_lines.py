"""How a pane's table draws its body lines quickly, exactly as DataTable draws them.

DataTable draws every line again whenever a row is added (its caches are by place and by an update
count): a quick log puts its row above the others, and all the lines of the incidents table were drawn
again in the frame after ctrl+s (~0.25 ms a line, bench/ quick log). :class:`PaneLines` works out once per
drawing what DataTable works out for every line, and takes a line drawn before for the same row, cursor,
hover and widths again, with the row a click reads (its click meta) set to where the row is now.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

__all__ = ["PaneLines"]


class PaneLines:
    """For a DataTable (``class PaneTable(PaneLines, DataTable)``): its body lines drawn quickly. The
    table's ``render_lines`` sets ``_drawing_columns`` while it draws (None: DataTable's own drawing)."""

    #: while its lines are drawn: the table's width and its columns with their widths (DataTable
    #: works them out again for every line, and its header's style, which a pane's body lines
    #: never use: ~0.2 ms a line, bench/ quick log)
    _drawing_columns: tuple[int, list] | None = None

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
            self._by_row = LRUCache(256)  # a few screens of lines (each row with and without the cursor)
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
