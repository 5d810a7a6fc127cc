"""A yes/no question over a form ("Discard this incident?")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...widgets.literal import literal


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or enter = yes, n or escape = no (``enter_is_yes=False``: only y is yes, for
    a step that can't be undone, so a second enter typed in a hurry does not take it)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; height: auto; border: thick $warning; background: $panel; padding: 1 2; }
    ConfirmScreen .confirm-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("enter", "enter", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "y discard", no: str = "n keep editing", *,
                 enter_is_yes: bool = True) -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no
        self.enter_is_yes = enter_is_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question))
            yield Static(literal(f"{self.yes} · {self.no}"), classes="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_enter(self) -> None:
        if self.enter_is_yes:
            self.dismiss(True)
        else:
            self.app.bell()
