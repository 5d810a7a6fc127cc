"""The advocate-tui App: holds the desk and the global keys; the screens do the work."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from .desk import Desk
from .screens.coordinator import CoordinatorCommands


class AdvocateApp(App):
    """The advocate's shift (or, with ``coordinator=True``, the coordinator's view) on one desk."""

    CSS_PATH = "app.tcss"
    TITLE = "advocate-tui"
    COMMANDS = App.COMMANDS | {CoordinatorCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, desk: Desk, *, coordinator: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.desk = desk
        self.coordinator = coordinator
        self.sub_title = desk.profile.school.name + (" · DEMO (fictional data, not encrypted)" if desk.demo else "")

    def on_mount(self) -> None:
        from .screens.main import MainScreen

        self.push_screen(MainScreen())
        if self.coordinator:
            from .screens.coordinator import CoordinatorScreen

            self.push_screen(CoordinatorScreen())
