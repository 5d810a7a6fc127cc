"""The main screen's header line: school, the school's date, bell period and clock, and live counts.

It reads the time from the desk's clock (never the machine's) and is given the counts by the
screen; the screen ticks it every few seconds with ``set_interval``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ..services.today import Counts
from .literal import literal, update_text

__all__ = ["StatusHeader"]


class StatusHeader(Vertical):
    """"Cedar Hollow High School │ Mon Nov 23 · P4 · 10:45 │ 4 doors · patrol overdue · …".

    One line when everything fits; else the counts move to a second line of their own (80 columns),
    and to two lines of their own, broken between counts, when a busy day has more than one holds;
    so the counts — what the advocate acts on — are never cut and the school name keeps its room."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; }
    StatusHeader.-two-lines { height: 2; }
    StatusHeader.-three-lines { height: 3; }
    StatusHeader > #status-top { height: 1; }
    StatusHeader #status-school { width: 1fr; min-width: 8; padding: 0 1; text-style: bold; }
    StatusHeader #status-clock { width: auto; padding: 0 1; }
    StatusHeader #status-counts { width: auto; padding: 0 1; }
    StatusHeader > #status-counts-line { height: 1; padding: 0 1; display: none; }
    StatusHeader.-two-lines #status-counts { display: none; }
    StatusHeader.-two-lines > #status-counts-line { display: block; }
    StatusHeader.-three-lines > #status-counts-line { height: 2; }
    StatusHeader #status-demo { width: auto; padding: 0 1; background: $warning; color: $background; display: none; }
    StatusHeader.-demo #status-demo { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.counts: Counts | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-top"):
            yield Static("DEMO", id="status-demo")
            yield Static("", id="status-school")
            yield Static("", id="status-clock")
            yield Static("", id="status-counts")
        yield Static("", id="status-counts-line")

    def on_mount(self) -> None:
        self.set_class(bool(self.app.desk.demo), "-demo")
        self.refresh_clock()

    @property
    def narrow(self) -> bool:
        return bool(self.size.width) and self.size.width < 150

    def _school_and_clock(self) -> tuple[str, str]:
        desk = self.app.desk
        now = desk.clock.now()
        day = desk.words.header_day(now) if not self.narrow else now.format("ddd D")
        return desk.profile.school.name, f"{day} · {desk.clock.label(now)}"

    def refresh_clock(self) -> None:
        """Show the school's date, bell period and time now (from desk.clock)."""
        name, clock = self._school_and_clock()
        if self.size.width and len(name) + 2 > self._room_for_school():
            name = _short_school(name)
        update_text(self.query_one("#status-school", Static), literal(name, one_line=True))
        update_text(self.query_one("#status-clock", Static), literal(clock))

    def _room_for_school(self) -> int:
        """Cells the school name gets on the first line (after the badge, clock and one-line counts)."""
        _name, clock = self._school_and_clock()
        room = self.size.width - len(clock) - 2 - (6 if self.app.desk.demo else 0)
        if not self.has_class("-two-lines") and self.counts is not None:
            room -= len(self._counts_text(self.counts, self.narrow).plain) + 2
        return room

    def _counts_text(self, counts: Counts, narrow: bool, room: int | None = None) -> Text:
        """The counts on one line, or (``room``: cells a line has) broken onto the next line between two
        counts where the next would not fit."""
        error = f"bold {self.app.theme_variables.get('error', 'red')}"
        warning = self.app.theme_variables.get("warning", "yellow")
        text = Text(no_wrap=True, overflow="ellipsis")

        def add(part: str, style: str = "") -> None:
            if text.plain:
                line = len(text.plain) - text.plain.rfind("\n") - 1
                text.append("\n" if room is not None and line + 3 + len(part) > room else " · ", style="dim")
            text.append(part, style=style)

        tones = {"error": error, "warning": warning}
        for bit in counts.bits:  # each kind's counts in its words (services.kinds), in their places
            add(bit.narrow if narrow else bit.wide, tones.get(bit.tone, ""))
        return text

    def show_counts(self, counts: Counts) -> None:
        """Doors not checked this shift, patrol, open referrals, attendance due — alerts in red."""
        self.counts = counts
        width = self.size.width or 160
        name, clock = self._school_and_clock()
        first_line = len(name) + 2 + len(clock) + 2 + (6 if self.app.desk.demo else 0)
        wide, narrow = self._counts_text(counts, False), self._counts_text(counts, True)
        if first_line + len(wide.plain) + 2 <= width:
            text, two_lines = wide, False
        elif first_line + len(narrow.plain) + 2 <= width:
            text, two_lines = narrow, False
        else:
            text, two_lines = (wide if len(wide.plain) + 2 <= width else narrow), True
        three_lines = two_lines and len(text.plain) + 2 > width
        if three_lines:  # more than a line even in the short words: on two lines, broken between counts
            text = self._counts_text(counts, True, room=width - 2)
        self.set_class(two_lines, "-two-lines")
        self.set_class(three_lines, "-three-lines")
        update_text(self.query_one("#status-counts", Static), text)
        update_text(self.query_one("#status-counts-line", Static), text)
        self.refresh_clock()

    def on_resize(self) -> None:
        if self.counts is not None:
            self.show_counts(self.counts)
        else:
            self.refresh_clock()


def _short_school(name: str) -> str:
    """"Cedar Hollow HS" for "Cedar Hollow High School" (when the whole name has no room)."""
    for long, short in (("High School", "HS"), ("Middle School", "MS"), ("Elementary School", "ES"),
                        ("School", "Sch.")):
        name = name.replace(long, short)
    return name
