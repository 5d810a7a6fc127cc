"""The main screen's header line: school, the school's date, bell period and clock, and live counts.

It reads the time from the desk's clock (never the machine's) and is given the counts by the
screen; the screen ticks it every few seconds with ``set_interval``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ..services.today import Counts

__all__ = ["StatusHeader"]


class StatusHeader(Horizontal):
    """One line: "Cedar Hollow High School │ Mon Nov 23 · P4 · 10:45 │ 4 doors · patrol overdue · …"."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; }
    StatusHeader > #status-school { width: 1fr; min-width: 8; padding: 0 1; text-style: bold; }
    StatusHeader > #status-clock { width: auto; padding: 0 1; }
    StatusHeader > #status-counts { width: auto; padding: 0 1; }
    StatusHeader > #status-demo { width: auto; padding: 0 1; background: $warning; color: $background; display: none; }
    StatusHeader.-demo > #status-demo { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.counts: Counts | None = None

    def compose(self) -> ComposeResult:
        yield Static("DEMO", id="status-demo")
        yield Static("", id="status-school")
        yield Static("", id="status-clock")
        yield Static("", id="status-counts")

    def on_mount(self) -> None:
        self.set_class(bool(self.app.desk.demo), "-demo")
        self.refresh_clock()

    @property
    def narrow(self) -> bool:
        return bool(self.size.width) and self.size.width < 150

    def refresh_clock(self) -> None:
        """Show the school's date, bell period and time now (from desk.clock)."""
        desk = self.app.desk
        now = desk.clock.now()
        school = desk.profile.school
        self.query_one("#status-school", Static).update(
            Text(school.name, no_wrap=True, overflow="ellipsis"))
        day = now.format("ddd MMM D") if not self.narrow else now.format("ddd D")
        self.query_one("#status-clock", Static).update(f"{day} · {desk.clock.label(now)}")

    def show_counts(self, counts: Counts) -> None:
        """Doors not checked this shift, patrol, open referrals, attendance due — alerts in red."""
        self.counts = counts
        error = f"bold {self.app.theme_variables.get('error', 'red')}"
        warning = self.app.theme_variables.get("warning", "yellow")
        narrow = self.narrow
        text = Text(no_wrap=True, overflow="ellipsis")

        def add(part: str, style: str = "") -> None:
            if text.plain:
                text.append(" · ", style="dim")
            text.append(part, style=style)

        doors = counts.doors_unchecked
        add(f"{doors} door{'s' * (doors != 1)}" + ("" if narrow else " to check"), warning if doors else "")
        if counts.door_exceptions:
            add(f"{counts.door_exceptions} alert" if narrow else
                f"{counts.door_exceptions} door exception{'s' * (counts.door_exceptions != 1)}", error)
        patrol = counts.patrol
        if patrol.status == "overdue":
            add("patrol overdue", error)
        elif patrol.status == "due":
            add("patrol due", warning)
        elif patrol.in_progress:
            add("patrol on" if narrow else "patrol in progress")
        refs, att = counts.open_referrals, counts.attendance_due
        add(f"{refs} ref" if narrow else f"{refs} open referral{'s' * (refs != 1)}")
        add(f"{att} att. due" if narrow else f"{att} attendance due", warning if att else "")
        self.query_one("#status-counts", Static).update(text)

    def on_resize(self) -> None:
        self.refresh_clock()
        if self.counts is not None:
            self.show_counts(self.counts)
