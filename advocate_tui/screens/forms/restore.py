"""Offer back the forms a crash left unsaved: reopen one (enter), discard it (del), or later (esc).

The offer comes up by itself at start, so it may catch keys typed for the main screen: discarding
takes ``delete`` (a key not typed in a name), and an enter that comes after its list is empty is let be.

The main screen calls ``offer_drafts(app)`` once it is up; it pushes :class:`RestoreDrafts` if
the store holds drafts and returns whether it did.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...services import drafts
from ...widgets.literal import literal
from .base import FormScreen


class RestoreDrafts(ModalScreen[None]):
    """Forms typed before the app stopped without saving them."""

    DEFAULT_CSS = """
    RestoreDrafts { align: center middle; }
    RestoreDrafts > Vertical { width: 90%; max-width: 90; height: auto; max-height: 80%;
                               border: thick $warning; background: $panel; padding: 0 1; }
    RestoreDrafts OptionList { height: auto; max-height: 12; }
    RestoreDrafts .restore-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("delete", "discard", "Discard"),
        Binding("escape", "later", "Later"),
    ]

    def __init__(self, pending: list[drafts.Draft]) -> None:
        super().__init__()
        self.pending = list(pending)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Unsaved forms from before the app stopped:")
            yield OptionList(*self._options(), id="restore-list")
            yield Static("enter reopen · del discard · esc later (they stay kept)", classes="restore-keys")

    def _options(self) -> list[Option]:
        return [Option(literal(drafts.describe_draft(d, self.app.desk), one_line=True), id=d.form_key)
                for d in self.pending]

    def _selected(self) -> drafts.Draft | None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        return self.pending[index] if index is not None and index < len(self.pending) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        draft = next((d for d in self.pending if d.form_key == event.option.id), None)
        if draft is None:  # a second enter typed before the list was redrawn
            return
        self._drop(draft)
        self.app.push_screen(FormScreen.from_draft(draft))

    def action_discard(self) -> None:
        draft = self._selected()
        if draft is None:
            return
        drafts.clear_draft(self.app.desk, draft.form_key)
        self._drop(draft)

    def _drop(self, draft: drafts.Draft) -> None:
        at = self.pending.index(draft)
        self.pending.remove(draft)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(self._options())
        if self.pending:
            option_list.highlighted = min(at, len(self.pending) - 1)
        else:
            self.dismiss(None)

    def action_later(self) -> None:
        self.dismiss(None)


def offer_drafts(app: App) -> bool:
    """Push :class:`RestoreDrafts` if forms were left unsaved; True if it did."""
    pending = [d for d in drafts.pending_drafts(app.desk) if d.form in _known() and (d.record or not d.record_id)]
    if not pending:
        return False
    app.push_screen(RestoreDrafts(pending))
    return True


def _known() -> set[str]:
    from .base import FORMS

    return set(FORMS)
