"""The small questions of a restorative process's steps (a pick from a list by number keys, a few text
fields) and the Tier 1 circle form.

Nothing typed is lost: the fields keep their text whatever the focus does; enter goes to the next field
and saves from the last; ctrl+s saves from anywhere; escape with typed text asks first. A problem shows
under the fields, in words, with everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.literal import literal

__all__ = ["ProcessAsk", "CircleForm", "Field"]

#: (key, label, placeholder, text already in the field)
Field = tuple[str, str, str, str]


class ProcessAsk(ModalScreen[dict | None]):
    """A pick from a list (keys 1-9, or arrows and enter) and/or a few text fields."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Save")]

    def __init__(self, title: str, fields: list[Field] = (), *, choices: list[tuple[object, str]] | None = None,
                 choice_label: str = "", check: Callable[[dict], str | None] | None = None,
                 chosen: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.choices = choices or []
        self.choice_label = choice_label
        self.check = check
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="pask-box"):
            yield Label(literal(self.title_text), id="pask-title")
            if self.choices:
                yield Label(literal(self.choice_label or f"Pick one (1–{min(len(self.choices), 9)}):"))
                yield OptionList(*[Option(literal(f"{n}  {label}" if n <= 9 else f"   {label}"), id=f"c{n}")
                                   for n, (_, label) in enumerate(self.choices, 1)], id="pask-choice")
            for key, label, placeholder, value in self.fields:
                yield Label(literal(label))
                yield Input(value, id=f"pask-{key}", placeholder=placeholder, max_length=400, select_on_focus=False,
                            compact=True)
            yield Static("", id="pask-error")
            yield Label("enter next / save · ctrl+s save · escape cancel", id="pask-keys")

    def on_mount(self) -> None:
        if self.choices:
            options = self.query_one(OptionList)
            options.highlighted = self.chosen
            options.focus()
        elif self.fields:
            self._input(self.fields[0][0]).focus()

    def _input(self, key: str) -> Input:
        return self.query_one(f"#pask-{key}", Input)

    def is_dirty(self) -> bool:
        """True when a field holds text that was not there when the dialog opened."""
        return any(self._input(k).value.strip() != v.strip() for k, _, _, v in self.fields)

    def on_key(self, event) -> None:
        if self.choices and isinstance(self.focused, OptionList) and event.key.isdigit() and event.key != "0":
            n = int(event.key)
            if n <= len(self.choices):
                event.stop()
                event.prevent_default()
                self.query_one(OptionList).highlighted = n - 1
                self._after_choice()

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self._after_choice()

    def _after_choice(self) -> None:
        if self.fields:
            self._input(self.fields[0][0]).focus()
        else:
            self.action_submit()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        keys = [k for k, *_ in self.fields]
        idx = keys.index((event.input.id or "").removeprefix("pask-"))
        if idx + 1 < len(keys):
            self._input(keys[idx + 1]).focus()
        else:
            self.action_submit()

    def values(self) -> dict:
        out: dict = {k: self._input(k).value for k, *_ in self.fields}
        if self.choices:
            idx = self.query_one(OptionList).highlighted
            out["choice"] = self.choices[idx][0] if idx is not None else None
        return out

    def action_submit(self) -> None:
        values = self.values()
        problem = self.check(values) if self.check else None
        if problem:
            self.query_one("#pask-error", Static).update(literal(problem))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        if not self.is_dirty():
            self.dismiss(None)
            return
        from .forms.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen("Discard what you typed in this dialog?", "y discard", "n keep editing"),
                             lambda yes: self.dismiss(None) if yes else None)


class CircleForm(ProcessAsk):
    """A Tier 1 circle: the class or group, how many took part, the topic, the facilitator (no names).

    From the board: c, the class, tab, the number, ctrl+s — ``b c 1 0 1 tab 2 4 ctrl+s`` is nine keys
    from the main screen."""

    def __init__(self, facilitator: str = "") -> None:
        super().__init__("Tier 1 circle (held now): no names needed", [
            ("group", "Class or group", "H-101, 9th grade advisory…", ""),
            ("participants", "How many took part", "24", ""),
            ("topic", "Topic (optional)", "respect in the hallway", ""),
            ("facilitator", "Facilitator", "name", facilitator),
        ], check=_circle_problem)


def _circle_problem(values: dict) -> str | None:
    if not values["group"].strip():
        return "type the class or group"
    count = values["participants"].strip()
    if count and not (count.isdigit() and int(count) <= 500):
        return "how many took part: a whole number (0–500)"
    return None
