"""The coordinator's data screen: the PBIS "Big 5" and the rest, as bar charts with the numbers beside them.

Keys: t today, w this week, m this month, y this school year (the default), a all; ↑/↓ pick a table;
e exports the shown table as CSV (formula injection neutralised); escape goes back. Counts come from
:mod:`advocate_tui.services.stats`, computed in a worker thread on the screen's own connection.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from rich.text import Text
from textual import on
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from ..services import export as export_service
from ..services import stats as stats_service
from ..services.stats import DateRange, Stats, StatTable
from ..services.text_fit import counted, cut_words
from ..widgets.literal import literal, plain
from .shift_footer import ShiftFooter
from .thread_work import thread_work

__all__ = ["DataScreen", "BarChart", "export_folder", "count_ticks"]

#: how wide a bar's label is beside the chart (cut at a word's edge)
LABEL_WIDTH = 18


class BarChart(PlotextPlot):
    """A plotext bar chart that never takes the screen down: too small a space, or any plotext error,
    shows a plain text bar list instead (plotext raises on a plot area of a few cells)."""

    MIN_WIDTH, MIN_HEIGHT = 24, 6

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bars: list[tuple[str, float]] = []
        #: False until the first :meth:`show`: while the counts are read the chart is blank (an empty plotext
        #: canvas costs as much to draw as a full one, ~20 ms of the screen's first frame)
        self.shown = False

    def show(self, bars: list[tuple[str, float]]) -> None:
        """Draw horizontal bars (largest first, at most 15)."""
        self.shown = True
        self.bars = [(label, n) for label, n in bars if n][:15]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self.bars:
            plt.bar([cut_words(plain(label, one_line=True), LABEL_WIDTH) for label, _ in reversed(self.bars)],
                    [n for _, n in reversed(self.bars)],
                    orientation="horizontal", width=0.6)
            ticks = count_ticks(max(n for _, n in self.bars))
            plt.xticks(ticks, [_number(t) for t in ticks])
        else:
            plt.title("nothing in this range")
        self.refresh()

    def render(self):
        if not self.shown:
            return Text("")
        if self.size.width >= self.MIN_WIDTH and self.size.height >= self.MIN_HEIGHT:
            try:
                return super().render()
            except Exception:  # noqa: BLE001 - plotext's own limits; the numbers are beside the chart anyway
                pass
        return self._text_bars()

    def _text_bars(self) -> Text:
        if not self.bars:
            return Text("nothing in this range")
        width = max(self.size.width - 12, 4)
        top = max(n for _, n in self.bars) or 1
        lines = []
        for label, n in self.bars[: max(self.size.height, 1)]:
            name = literal(cut_words(plain(label, one_line=True), 10), one_line=True, width=10)
            name.pad_left(10 - name.cell_len)
            lines.append(name + f" {'█' * max(1, int(width * n / top))}")
        return Text("\n").join(lines)


def export_folder(desk) -> Path:
    """Where exports go: ``desk.extras['export_dir']`` if set, else ``exports`` in the app's data folder."""
    if desk.extras.get("export_dir"):
        return Path(desk.extras["export_dir"])
    import platformdirs

    return Path(platformdirs.user_data_dir("advocate-tui", appauthor=False)) / "exports"


class DataScreen(Screen):
    """PBIS Big 5, referrals, attendance, doors and patrols for a range of days."""

    CSS_PATH = "data.tcss"
    BINDINGS = [
        Binding("t", "range('t')", "Today", tooltip="Counts for today"),
        Binding("w", "range('w')", "Week", tooltip="Counts for this week"),
        Binding("m", "range('m')", "Month", tooltip="Counts for this month"),
        Binding("y", "range('y')", "Year", tooltip="Counts for this school year"),
        Binding("a", "range('a')", "All", tooltip="Counts for everything on file"),
        Binding("e", "export", "Export CSV", tooltip="Export the shown table as CSV"),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
    ]
    AUTO_FOCUS = "#data-sections"

    class Loaded(Message):
        """The counts for a range are ready (posted by the worker)."""

        def __init__(self, stats: Stats | None, error: str = "") -> None:
            super().__init__()
            self.stats, self.error = stats, error

    def __init__(self, range_key: str = "y", **kwargs) -> None:
        super().__init__(**kwargs)
        self.range_key = range_key
        self.stats: Stats | None = None
        self.shown: str = "behavior"
        self._store = None
        #: one count at a time on the screen's connection; closed (under the lock) when the screen goes
        self._lock = threading.Lock()
        self._closed = False

    def compose(self) -> ComposeResult:
        yield Static("The coordinator's data", id="data-title")
        yield Static("", id="data-headline")
        with Horizontal(id="data-body"):
            yield OptionList(id="data-sections")
            with Vertical(id="data-view"):
                yield Static("", id="data-table-title")
                with Horizontal(id="data-chart-row"):
                    yield BarChart(id="data-chart")
                    yield DataTable(id="data-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="data-message")
        yield ShiftFooter(compact=True)  # one widget for all the keys (Textual's Footer: one per key)

    def on_mount(self) -> None:
        self.query_one("#data-table", DataTable).add_columns("what", "count")
        self.set_class(self.app.size.width < 110, "-narrow")
        self.load()

    def on_resize(self, event) -> None:
        """Under 110 columns the list and the numbers share the width (the chart is left out)."""
        self.set_class(self.size.width < 110, "-narrow")
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """After a resize (or the first layout): fit the numbers table to its width."""
        grid = self.query_one("#data-table", DataTable)
        if self.stats is not None and grid.size.width != getattr(self, "_shown_width", None):
            self.show_table(self.shown)

    def on_unmount(self) -> None:
        with self._lock:  # waits for a count in progress (a fraction of a second) before closing
            self._closed = True
            if self._store is not None:
                self._store.close()
                self._store = None

    # ------------------------------------------------------------------ loading
    def current_range(self) -> DateRange:
        desk = self.app.desk
        return stats_service.range_for(self.range_key, desk.clock.today(), desk.store, desk.profile.calendar)

    def load(self) -> None:
        """Compute the counts for the current range in a worker; :class:`Loaded` shows them."""
        self.query_one("#data-headline", Static).update(f"Counting {self.current_range().label}…")
        self._compute(self.current_range())

    @thread_work("data")
    def _compute(self, rng: DateRange) -> None:
        desk = self.app.desk
        with self._lock:
            if self._closed:
                return
            try:
                if self._store is None:
                    self._store = desk.store.reopen()
                stats = stats_service.compute(dataclasses.replace(desk, store=self._store), rng)
            except Exception as exc:  # a busy or damaged database: one line on the screen, never a crash
                self.post_message(self.Loaded(None, str(exc) or type(exc).__name__))
                return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(stats))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        headline = self.query_one("#data-headline", Static)
        headline.set_class(event.stats is None, "-error")
        if event.stats is None:
            headline.update(literal(f"Could not count: {event.error}"))
            return
        self.stats = event.stats
        self.query_one("#data-headline", Static).update(event.stats.headline())
        sections = self.query_one("#data-sections", OptionList)
        keep = self.shown
        words = self.app.desk.words
        sections.clear_options()
        options = []
        for table in event.stats.tables:
            mark = "★ " if table.big5 else "  "
            count = "" if table.identifying else f" ({table.total})"
            options.append(Option(f"{mark}{words.phrase(table.title)}{count}", id=table.key))
        sections.add_options(options)  # at once: each add_option lays every option out again
        index = next((i for i, t in enumerate(event.stats.tables) if t.key == keep), 0)
        sections.highlighted = index
        self.show_table(event.stats.tables[index].key)

    # ------------------------------------------------------------------ showing
    @on(OptionList.OptionHighlighted, "#data-sections")
    def _picked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and self.stats is not None:
            self.show_table(event.option.id)

    def shown_table(self) -> StatTable | None:
        return self.stats.table(self.shown) if self.stats is not None else None

    def show_table(self, key: str) -> None:
        """Show one table: its title, a horizontal bar chart and the numbers beside it."""
        self.shown = key
        table = self.shown_table()
        if table is None:
            return
        words = self.app.desk.words
        self.query_one("#data-table-title", Static).update(
            literal(f"{words.phrase(table.title)} · {self.stats.range.label} · total {table.total}"))
        grid = self.query_one("#data-table", DataTable)
        grid.clear(columns=True)
        # the numbers are never cut: their column is as wide as the widest number, the labels get the
        # rest of the table's width (shortened with "…" when they have to be)
        numbers = [_number(count) for _label, count in table.rows]
        number_width = max([len(n) for n in numbers] + [len(table.value)])
        inner = (grid.size.width or (30 if self.has_class("-narrow") else 40)) - 2  # the border
        scrollbar = grid.styles.scrollbar_size_vertical if len(table.rows) > max(grid.size.height - 3, 0) else 0
        label_width = max(inner - scrollbar - number_width - 2 * 2, 6)
        self._shown_width = grid.size.width
        grid.add_column(literal(cut_words(plain(words.phrase(table.column), one_line=True), label_width), one_line=True,
                                width=label_width), width=label_width)
        grid.add_column(Text(table.value, justify="right"), width=number_width)
        for (label, _count), number in zip(table.rows, numbers):
            grid.add_row(literal(cut_words(plain(label, one_line=True), label_width), one_line=True, width=label_width),
                         Text(number, justify="right"))
        self.query_one("#data-chart", BarChart).show(table.rows)

    @on(DataTable.RowSelected, "#data-table")
    def _open_student(self, event: DataTable.RowSelected) -> None:
        """enter on a row of the students table opens that student's page (everything on file)."""
        table = self.shown_table()
        if table is None or not table.keys or event.cursor_row >= len(table.keys):
            return
        from .student import StudentScreen

        self.app.push_screen(StudentScreen(table.keys[event.cursor_row]))

    # ------------------------------------------------------------------ actions
    def action_range(self, key: str) -> None:
        self.range_key = key
        self.load()

    def action_export(self) -> None:
        """Export the shown table (as shown: every row, both columns) to a new CSV file."""
        table = self.shown_table()
        message = self.query_one("#data-message", Static)
        if table is None:
            return
        name = f"{table.key}-{self.stats.range.start.isoformat()}_{self.stats.range.end.isoformat()}"
        try:
            path = export_service.export_rows(export_folder(self.app.desk), name, (table.column, table.value),
                                              table.rows)
        except OSError as exc:
            message.update(literal(f"Could not export: {exc.strerror or exc}"))
            message.set_class(True, "-error")
            return
        message.set_class(False, "-error")
        message.update(literal(f"Exported {counted(len(table.rows), 'row')} to {path}"))
        self.notify(f"Exported to {path}", title="CSV export")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _number(value: int | float) -> str:
    """A count as written in the table ("18", "2.5")."""
    return str(value) if not isinstance(value, float) else f"{value:g}"


def count_ticks(top: float, most: int = 6) -> list[int | float]:
    """Ticks of a count axis: whole numbers a step of 1, 2 or 5 (times 10s) apart (0 5 10 15, never
    0.0 3.8 7.5), at most ``most`` of them; an axis under 1 (a rate) gets 0 and its top."""
    if top < 1:
        return [0, top]
    step = 1
    while top / step > most - 1:
        step = _next_step(step)
    return list(range(0, int(top) + step, step))


def _next_step(step: int) -> int:
    """1 2 5 10 20 50 100…"""
    digits = str(step)
    return step * 2 if digits[0] in "15" else step * 5 // 2
