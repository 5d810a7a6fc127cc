"""`?`: every key of the main screen and of the forms, from the same table as the footer and palette."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..commands import FORM_KEYS, KEYS, shown_key

__all__ = ["HelpScreen", "help_lines"]


def help_lines(app=None) -> list[tuple[str, str]]:
    """(key, what it does) for every key, in the order the advocate learns them (as ``app``'s keymap
    has them, when given); the pane keys after p."""
    lines = [(shown_key(app, k) if app is not None else k.labels, k.help)
             for k in KEYS if not k.action.startswith("focus_pane")]
    panes = [k for k in KEYS if k.action.startswith("focus_pane")]
    after_patrol = next(n for n, k in enumerate(KEYS) if k.action == "patrol") + 1  # (the pane keys come after it)
    if app is None or all(shown_key(app, k) == k.label for k in panes):
        lines.insert(after_patrol, ("1-5", "Focus a pane: 1 incidents, 2 doors & patrol, 3 contacts, 4 attendance, 5 referrals"))
    else:
        lines[after_patrol:after_patrol] = [(shown_key(app, k), k.help) for k in panes]
    return lines + list(FORM_KEYS)


class HelpScreen(ModalScreen[None]):
    """The keys, one per line; escape, q, ? or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 96; height: auto; max-height: 90%;
                                  border: thick $accent; background: $panel; padding: 0 1; }
    HelpScreen #help-foot { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, text in help_lines(self.app):
            table.add_row(key, text)
        with VerticalScroll() as box:
            box.border_title = "Keys"
            yield Static(table, id="help-keys")
            yield Static("Rows marked ↩ are carried over from an earlier day; \"logged late\": an earlier day's, "
                         "saved after the last handoff (the next one takes it); red means it needs you now. "
                         "Roles: R responsible · H harmed · W witness · I involved. "
                         "Header: doors not yet checked this shift · door alerts (exceptions) · patrol · "
                         "referrals to hand off (still new) · referrals open (not closed) · attendance follow-ups due (att.).   escape closes",
                         id="help-foot")
