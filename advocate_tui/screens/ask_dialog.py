"""The small question dialogs share one base: a title, perhaps a pick from a list, and a few text fields.

Nothing typed is lost: the fields keep their text whatever the focus does; number keys pick from the list
(or arrows and enter); enter goes to the next field and saves from the last; ctrl+s saves from anywhere;
escape with typed text asks first. A problem (``check``) shows under the fields, everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..clock import WhenError, parse_date, parse_when
from ..widgets.form_input import forward_if_blurred
from ..widgets.literal import literal
from .forms.confirm import ConfirmScreen

#: a field: (key, label, placeholder)
Field = tuple[str, str, str]


def date_and_time(clock) -> tuple[Callable[[dict], object], Callable[[dict], str | None]]:
    """For a dialog asking a "date" and a "time" (a meeting's): the moment its values name, and its check
    (what is wrong with them, in words, or None)."""

    def when(values: dict):
        return clock.at(parse_date(values["date"], clock), parse_when(values["time"], clock).time())

    def check(values: dict) -> str | None:
        if not values["time"].strip():
            return "type a time (10:40, 2:15pm or P3)"
        try:
            when(values)
        except WhenError as exc:
            return str(exc)
        return None
    return when, check


class ChoiceList(OptionList):
    """The dialog's list: a number key picks at once, and keys typed behind it (one burst at a terminal:
    "1", "harm_circle", enter) that reach the list after the cursor went on to a field follow it there."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        dialog = self.screen
        if isinstance(dialog, AskDialog) and dialog.list_key(event):  # (here, not as the key bubbles up:
            return                                                      # the keys behind it come first)
        await super()._on_key(event)


class AskDialog(ModalScreen[dict | None]):
    """A small question: a title, a pick from ``choices`` ((value, label) pairs) and/or text ``fields``.

    Dismissed with the fields' values by key (and the picked value under :attr:`CHOICE_KEY`), or None.
    Subclasses set the ids' prefix (their styles use it) and may change how a field is made
    (:meth:`field_input`) and what enter on the list does (:meth:`choice_entered`)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Save")]
    #: the widgets' ids: PREFIX-box, PREFIX-title, PREFIX-<field key>, PREFIX-<CHOICE_ID>, PREFIX-error
    PREFIX = "ask"
    CHOICE_ID = "choice"
    #: where the picked value is in the values
    CHOICE_KEY = "choice"
    #: the keys line at the bottom, and its id (None: no id)
    KEYS = "enter or ctrl+s save · escape cancel"
    KEYS_ID: str | None = None
    #: typing while the list has the focus goes on in the first field (else only number keys pick)
    TYPING_GOES_TO_FIELD = False

    def __init__(self, title: str, fields: Iterable[Field] = (), *, initial: dict[str, str] | None = None,
                 choices: Iterable[tuple[object, str]] = (), choice_label: str = "", chosen: int = 0,
                 check: Callable[[dict], str | None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.asked = list(fields)
        self.initial = dict(initial or {})
        self.choices = list(choices)
        self.choice_label = choice_label
        self.chosen = chosen
        #: callable(values) -> the problem in words, or None
        self.check = check

    # ------------------------------------------------------------------ for subclasses
    def field_input(self, n: int, key: str, placeholder: str) -> Input:
        """The input of the ``n``-th field (0 first)."""
        return Input(self.initial.get(key, ""), id=f"{self.PREFIX}-{key}", placeholder=placeholder,
                     select_on_focus=False)

    def choice_option(self, n: int, value: object, label: str) -> Option:
        """The list's ``n``-th line (1 first): its number key, then its label."""
        return Option(literal(f"{n}  {label}" if n <= 9 else f"   {label}"), id=f"c{n}")

    def choice_entered(self) -> None:
        """Enter on the list: on to the first field (or save when there is none)."""
        self.after_choice()

    # ------------------------------------------------------------------ the dialog
    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.PREFIX}-box"):
            yield Label(literal(self.title_text), id=f"{self.PREFIX}-title")
            if self.choices:
                yield Label(literal(self.choice_label or f"Pick one (1–{min(len(self.choices), 9)}):"))
                yield ChoiceList(*[self.choice_option(n, value, label) for n, (value, label) in
                                   enumerate(self.choices, 1)], id=f"{self.PREFIX}-{self.CHOICE_ID}")
            for n, (key, label, placeholder) in enumerate(self.asked):
                yield Label(literal(label))
                yield self.field_input(n, key, placeholder)
            yield Static("", id=f"{self.PREFIX}-error", markup=False)
            yield Label(self.KEYS, id=self.KEYS_ID)

    def on_mount(self) -> None:
        if self.choices:
            options = self.query_one(OptionList)
            options.highlighted = self.chosen
            options.focus()
        elif self.asked:
            self._input(self.asked[0][0]).focus()

    def _input(self, key: str) -> Input:
        return self.query_one(f"#{self.PREFIX}-{key}", Input)

    def is_dirty(self) -> bool:
        """True when a field holds text that was not there when the dialog opened (cancelling asks first)."""
        return any(self._input(k).value.strip() != self.initial.get(k, "").strip() for k, _, _ in self.asked)

    def list_key(self, event: events.Key) -> bool:
        """A key at the list (:class:`ChoiceList`, before the list's own keys): a number picks and goes on
        to the first field; True if it was taken."""
        if event.key.isdigit() and event.key != "0" and int(event.key) <= len(self.choices):
            event.stop()
            event.prevent_default()
            self.query_one(OptionList).highlighted = int(event.key) - 1
            self.after_choice()
            return True
        if self.TYPING_GOES_TO_FIELD and event.is_printable and event.character and self.asked:
            # typing while the list has the focus (after a tab) goes on in the first field
            event.stop()
            event.prevent_default()
            first = self._input(self.asked[0][0])
            self.set_focus(first)
            first.cursor_position = len(first.value)
            first.insert_text_at_cursor(event.character)
            return True
        return False

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.choice_entered()

    def after_choice(self) -> None:
        """On to the first field, the cursor after its text (or save when there is none)."""
        if self.asked:
            first = self._input(self.asked[0][0])
            self.set_focus(first)  # now, not after the keys typed behind the number (they follow it: ChoiceList)
            first.cursor_position = len(first.value)
        else:
            self.action_submit()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        keys = [k for k, _, _ in self.asked]
        idx = keys.index((event.input.id or "").removeprefix(f"{self.PREFIX}-"))
        if idx + 1 < len(keys):
            self._input(keys[idx + 1]).focus()
        else:
            self.action_submit()

    def values(self) -> dict:
        """The fields' text by key, and the picked value (if there is a list)."""
        out: dict = {k: self._input(k).value for k, _, _ in self.asked}
        if self.choices:
            idx = self.query_one(OptionList).highlighted
            out[self.CHOICE_KEY] = self.choices[idx][0] if idx is not None else None
        return out

    def action_submit(self) -> None:
        values = self.values()
        problem = self.check(values) if self.check else None
        if problem:
            self.query_one(f"#{self.PREFIX}-error", Static).update(literal(problem))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        if not self.is_dirty():
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmScreen("Discard what you typed in this dialog?", "y discard", "n keep editing"),
                             lambda yes: self.dismiss(None) if yes else None)
