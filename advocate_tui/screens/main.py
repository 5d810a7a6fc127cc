"""The main screen: the advocate's shift (placeholder until the five panes land)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class MainScreen(Screen):
    """The shift screen."""

    def compose(self) -> ComposeResult:
        yield Header()
        desk = self.app.desk
        yield Static(f"{desk.profile.school.name} — {desk.store.count_students()} students on the roster", id="placeholder")
        yield Footer()
