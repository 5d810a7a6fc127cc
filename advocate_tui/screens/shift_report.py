"""The end-of-shift report (``S`` on the main screen, and in the handoff review): today as logged, as the
Markdown that goes into the handoff bundle, shown as plain text (never read as markup)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..services import shift_report
from ..widgets.literal import literal

__all__ = ["ShiftReportScreen"]


class ShiftReportScreen(Screen):
    """Today's end-of-shift report; escape goes back."""

    CSS_PATH = "day.tcss"
    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+l", "lock", "Lock", priority=True)]

    def compose(self) -> ComposeResult:
        yield Static("End-of-shift report", classes="day-title")
        with VerticalScroll(id="report-body"):
            yield Static(id="report-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.text = shift_report.text(self.app.desk)
        self.query_one("#report-text", Static).update(literal(self.text))
        self.query_one("#report-body").focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_lock(self) -> None:
        if hasattr(self.app, "action_lock"):
            self.app.action_lock()
