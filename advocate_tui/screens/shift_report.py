"""The end-of-shift report (``S`` on the main screen, and in the handoff review): today as logged, the
Markdown that goes into the handoff bundle, rendered. Every piece of person-typed text in it is escaped
(:func:`~advocate_tui.services.bundle_text.md_text`), so it shows as typed: no link, image, HTML or emphasis
from a note; Textual's Markdown widget reads no Rich markup."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from ..services import shift_report

__all__ = ["ShiftReportScreen"]


class ShiftReportScreen(Screen):
    """Today's end-of-shift report; escape goes back."""

    CSS_PATH = "day.tcss"
    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+l", "lock", "Lock", priority=True)]

    #: under this width the report's tables (up to nine columns) are shown as lists
    NARROW = 120

    def compose(self) -> ComposeResult:
        self.narrow = self.app.size.width < self.NARROW
        self.text = shift_report.text(self.app.desk, narrow=self.narrow)
        yield Static("End-of-shift report", classes="day-title")
        with VerticalScroll(id="report-body"):
            yield Markdown(self.text, id="report-text", open_links=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#report-body").focus()

    def on_resize(self) -> None:
        narrow = self.app.size.width < self.NARROW
        if narrow != self.narrow:
            self.narrow = narrow
            self.text = shift_report.text(self.app.desk, narrow=narrow)
            self.query_one("#report-text", Markdown).update(self.text)

    def action_back(self) -> None:
        self.dismiss()

    def action_lock(self) -> None:
        if hasattr(self.app, "action_lock"):
            self.app.action_lock()
