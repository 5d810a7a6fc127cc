"""How a pane's columns are fitted to its width: each cell's text, its lines, and the widths that fit
(:class:`PaneColumns`, a part of :class:`~advocate_tui.widgets.pane.Pane`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.text import Text

from ..services.text_fit import cut_words, fits_in_lines, wrap_words
from ..services.today import Row
from .literal import plain

__all__ = ["PaneColumns"]


class PaneColumns:
    """The column fitting of a pane (it needs ``COLUMNS``, ``rows`` and ``app`` of the pane)."""

    COLUMNS: tuple[tuple[str, str, int], ...]
    rows: Sequence[Row]
    _widths: list[int]

    #: at least this many columns on screen: today's times show their bell period ("P3 · 10:42")
    LONG_TIMES_WIDTH = 120

    def _time_of(self, row: Row) -> str:
        if row.time_long and self.app.size.width >= self.LONG_TIMES_WIDTH:
            return row.time_long
        return row.time

    #: a cell longer than its column wraps at word edges onto at most this many lines (then '…')
    MAX_LINES = 2
    #: no column but the time gets fewer cells than this while the content wants more
    MIN_WIDTH = 8

    def _value(self, row: Row, attr: str) -> str:
        kept = self._kept if self._memo is not None else None
        if kept is not None and (id(row), attr) in kept:
            return kept[id(row), attr]
        value = plain((self._time_of(row) if attr == "time" else getattr(row, attr)) or "", one_line=True)
        if attr == "time" and row.carried:
            value = f"↩ {value}"
        if kept is not None:
            kept[id(row), attr] = value
        return value

    #: what :meth:`widths` works out while it runs (it tries many widths over every row; a full pane
    #: of 300 rows took ~30 ms a save rebuilding the same texts, bench/)
    _memo: dict | None = None
    #: each held row's cell texts (by ``id(row)``), kept from one fitting to the next until the table
    #: is filled again (a save fits the columns again with one row more: only its texts are new);
    #: a row let go takes its texts with it (its id may be reused)
    _kept: dict = {}

    def _lines(self, row: Row, attr: str, width: int) -> list[str]:
        """The cell's text in lines of ``width``, broken at word edges (students: the short names
        when the full ones need more lines)."""
        value = self._value(row, attr)
        if attr == "time":
            return [cut_words(value, width)]
        lines = wrap_words(value, width, self.MAX_LINES)
        if attr == "students" and row.students_short and (len(value) > width) and (
                len(lines) > 1 or lines[-1].endswith("…")):
            short = wrap_words(plain(row.students_short, one_line=True), width, self.MAX_LINES)
            if len(short) < len(lines) or lines[-1].endswith("…"):
                lines = short
        return lines

    def _cell(self, row: Row, attr: str, width: int, lines: list[str] | None = None) -> Text:
        lines = self._lines(row, attr, width) if lines is None else lines
        style = ""
        if row.alert and attr in ("status", "what"):
            style = f"bold {self.app.theme_variables.get('error', 'red')}"
        elif row.carried or row.late:
            style = "italic"
        # (the lines are plain already: no markup is read from a Text, no control character is left)
        return Text("\n".join(lines), style=style, no_wrap=True, overflow="ellipsis")

    #: the free-text column: it gives way last, cut at a word's edge when nothing else is left
    FREE_TEXT = "what"

    def widths(self, total: int) -> list[int]:
        """Column widths that fit ``total`` cells (nothing scrolls sideways), by content: the time as
        wide as its longest value; every other column starts as wide as its longest value and, while
        they don't fit, the column that wraps the fewest rows for the room it gives back narrows, never
        below what its values need on two lines; only then does the free text (what happened) give way
        further, cut at a word's edge. Room left over goes to the free text."""
        self._memo = {}
        try:
            return self._fit(total)
        finally:
            self._memo = None

    def _fit(self, total: int) -> list[int]:
        cols = self.COLUMNS
        room = max(total - (2 * len(cols) + 1), 0)
        out = [self._natural(i) if not w else 0 for i, (_l, _a, w) in enumerate(cols)]
        weighted = [i for i, (_l, _a, w) in enumerate(cols) if w]
        self._longest = None
        if not weighted:
            return out
        lengths = {i: self._lengths(i) for i in weighted}
        for i in weighted:
            out[i] = max(lengths[i])
        #: each column's longest value, and whether any column had to narrow (see :meth:`_same_widths`)
        self._longest, self._narrowed = list(out), sum(out) > room
        floor = {i: self._two_line_width(i, max(lengths[i])) for i in weighted} if self._narrowed else {}
        while sum(out) > room:
            best, best_cost, best_width = None, None, 0
            for i in weighted:
                # the longest value shorter than the column now (longest first), not under its floor
                width = max(next((n for n in lengths[i] if n < out[i]), floor[i]), floor[i])
                if width >= out[i]:
                    continue
                cost = self._wrapped(i, width) / (out[i] - width)
                if best_cost is None or cost < best_cost:
                    best, best_cost, best_width = i, cost, width
            if best is None:
                break
            out[best] = best_width
        free = next((i for i in weighted if cols[i][1] == self.FREE_TEXT), weighted[-1])
        out[free] += room - sum(out)  # what is left over (or, when too narrow even so, what is missing)
        while out[free] < self.MIN_WIDTH and any(out[i] > self.MIN_WIDTH for i in weighted if i != free):
            widest = max((i for i in weighted if i != free), key=lambda i: out[i])
            out[widest] -= 1
            out[free] += 1
        out[free] = max(out[free], 3)
        return out

    def _lengths(self, index: int) -> list[int]:
        """The lengths of a column's values, longest first (with the header's)."""
        label, attr, _w = self.COLUMNS[index]
        return sorted({len(label), *map(len, self._values(attr))}, reverse=True)

    def _wrapped(self, index: int, width: int) -> float:
        """How many rows would not fit on one line at ``width`` (students shown short count half)."""
        _label, attr, _w = self.COLUMNS[index]
        memo = {} if self._memo is None else self._memo
        counted = memo.get(("wrapped", index, width))
        if counted is not None:
            return counted
        lengths = memo.get(("lengths", index))
        if lengths is None:  # the lengths of the rows without a short form, in order (each width is a
            # bisection: a narrowing tries ~100 widths of 300 rows, bench/); the rows with one, each as
            # (its length, its short students' length), longest first
            pairs = [(len(value), len(row.students_short) if attr == "students" and row.students_short else None)
                     for value, row in zip(self._values(attr), self._fit_rows())]
            lengths = memo["lengths", index] = (sorted(full for full, short in pairs if short is None),
                                                sorted(((full, short) for full, short in pairs if short is not None),
                                                       reverse=True))
        alone, with_short = lengths
        count = float(len(alone) - bisect_right(alone, width))
        for full, short in with_short:  # (longest first: only the rows longer than the width)
            if full <= width:
                break
            count += 0.5 if short <= width else 1
        memo["wrapped", index, width] = count
        return count

    def _two_line_width(self, index: int, natural: int) -> int:
        """The narrowest width at which every value of a column shows whole on :data:`MAX_LINES` lines
        (the longest values decide; a word longer than that counts whole)."""
        _label, attr, _w = self.COLUMNS[index]
        values = sorted({v if attr != "students" or not r.students_short
                         else min(v, plain(r.students_short, one_line=True), key=len)
                         for v, r in zip(self._values(attr), self._fit_rows())}, key=len, reverse=True)[:12]
        width = max([-(-len(v) // self.MAX_LINES) for v in values] + [len(self.COLUMNS[index][0]), 3])
        while width < natural and any(not fits_in_lines(v, width, self.MAX_LINES) for v in values):
            width += 1
        return min(width, natural)

    def _natural(self, index: int) -> int:
        """The longest value of a column on one line."""
        label, attr, _w = self.COLUMNS[index]
        return max([len(label), *map(len, self._values(attr))])

    def _values(self, attr: str) -> list[str]:
        """Each fitted row's text of ``attr``, in order (made once while :meth:`widths` runs: it reads
        them for each column's lengths, its longest values and its wrapping)."""
        memo = self._memo
        values = memo.get(("values", attr)) if memo is not None else None
        if values is None:
            values = [self._value(row, attr) for row in self._fit_rows()]
            if memo is not None:
                memo["values", attr] = values
        return values

    def _hold(self, rows: Sequence[Row]) -> Sequence[Row]:
        """The rows to hold (a copy; a subclass may keep a lazy sequence, see :meth:`_fit_rows`)."""
        return list(rows)

    def _fit_rows(self) -> Sequence[Row]:
        """The rows the columns are fitted to: all of them (a lazy sequence: the rows built so far)."""
        return self.rows

    _longest: list[int] | None = None
    _narrowed = True

    def _same_widths(self, row: Row) -> bool:
        """True when a new row keeps the widths the columns have, without fitting them again: the last
        fit narrowed no column and each of the row's values is no longer than its column's longest
        (a new fit gives the same widths), or each of its values but the free text fits its column
        on one line (the free text is cut or wrapped as the other rows' are). A save in a full pane
        then looks at one row, not 300 (~25 ms a save, bench/); the rows already drawn stay as they
        are. The columns are fitted to every row again when the table is filled (a read that
        changes the rows, a resize)."""
        widths, longest = getattr(self, "_widths", None), self._longest
        if not widths or len(widths) != len(self.COLUMNS):
            return False
        lengths = [len(self._value(row, attr)) for _label, attr, _w in self.COLUMNS]
        if not self._narrowed and longest is not None and len(longest) == len(lengths):
            return all(n <= w for n, w in zip(lengths, longest))
        return all(n <= w or (attr == "students" and bool(row.students_short)
                                 and len(plain(row.students_short, one_line=True)) <= w)
                   for n, w, (_label, attr, _x) in zip(lengths, widths, self.COLUMNS) if attr != self.FREE_TEXT)
