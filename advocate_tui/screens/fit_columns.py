"""Table columns that fit the terminal: shorter labels and fewer columns when narrow, cells cut with '…'.

The handoff review and the coordinator's list use it so that at 80×24 every column shown is
readable (none pushed off-screen or cut to two letters); the full text is in the selected row's
detail under the table. Below :data:`NARROW` columns the short labels are used and the columns
marked ``drop`` (least important first) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from ..services.text_fit import cut_words
from ..widgets.literal import literal, plain
from ..wording import US, Words

__all__ = ["Col", "NARROW", "fit", "cut", "set_columns"]

#: Below this many terminal columns, short labels and droppable columns left out.
NARROW = 100
#: Room a DataTable needs around its cells besides their padding (scrollbar, borders, margins).
_FRAME = 4


@dataclass(frozen=True)
class Col:
    """One column: its key, labels, the width it needs, whether it takes the spare room, whether it can go."""

    key: str
    label: str
    short: str
    width: int
    flex: int = 0  # share of the spare room (0: fixed width)
    drop: int = 0  # 0: always shown; else dropped when narrow (the higher, the sooner)
    wide: int = 0  # the width when not narrow, if more than ``width``
    narrow_only: bool = False  # shown only when narrow (it sums up columns dropped there)
    narrow_flex: int | None = None  # its share of the spare room when narrow (default: ``flex``)


def _needs(cols: list[Col]) -> int:
    """Cells the wide layout of ``cols`` takes at the least."""
    return sum(max(c.width, c.wide) + 2 for c in cols if not c.narrow_only) + _FRAME


def fit(cols: list[Col], total: int) -> list[tuple[Col, str, int]]:
    """(column, label, width) for a table ``total`` cells wide (the narrow layout below :data:`NARROW`
    columns, or wherever the wide one would not fit)."""
    narrow = total < NARROW or _needs(cols) > total
    shown = [c for c in cols if not (narrow and c.drop) and not (c.narrow_only and not narrow)]
    room = total - _FRAME - 2 * len(shown)  # each cell has one cell of padding either side
    base = {c.key: c.width if narrow else max(c.width, c.wide) for c in shown}
    if sum(base.values()) > room:  # the wider widths only where they all fit
        base = {c.key: c.width for c in shown}
    fixed = sum(base.values())
    spare = max(room - fixed, 0)
    flex = {c.key: (c.narrow_flex if narrow and c.narrow_flex is not None else c.flex) for c in shown}
    weights = sum(flex.values()) or 1
    out = []
    for c in shown:
        width = base[c.key] + (spare * flex[c.key] // weights if flex[c.key] else 0)
        out.append((c, c.short if narrow else c.label, max(width, 3)))
    return out


def cut(text: object, width: int) -> Text:
    """``text`` on one line, at most ``width`` cells, cut at a word's edge with '…'; shown as typed
    (never markup)."""
    return literal(cut_words(plain(text, one_line=True), width), one_line=True, width=width)


def set_columns(table: DataTable, cols: list[Col], total: int, words: Words = US) -> list[tuple[Col, str, int]]:
    """Clear ``table`` (rows and columns) and add the columns that fit, headed in the school's ``words``;
    return the layout."""
    layout = fit(cols, total)
    table.clear(columns=True)
    for col, label, width in layout:
        table.add_column(literal(words.label(label)), width=width, key=col.key)  # (a str is markup)
    return layout
